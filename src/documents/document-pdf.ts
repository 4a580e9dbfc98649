/**
 * Renders an issued document (invoice, quotation, credit note, receipt) to a PDF in Japanese or English,
 * with the six items of a qualified invoice (消費税法57条の4): issuer and registration number,
 * date or period, items, per-rate totals and rates, per-rate tax, customer. Noto Sans JP (a
 * TrueType-outline font) is embedded and subset by pdfkit, so a page stays small and its text
 * extractable (reference/japan-billing-notes.md §5). The font is parsed once per process or worker
 * (document-font.ts); the server renders in worker threads (pdf-pool.ts).
 */
import PDFDocument from 'pdfkit';
import { formatYen } from '../domain/money.js';
import { documentFont } from './document-font.js';

export interface PdfDocumentInput {
  kind: 'invoice' | 'quotation' | 'credit-note' | 'receipt';
  number: string;
  issuedOn: string;
  dueOn: string;
  customerName: string;
  issuerName: string;
  registrationNumber: string;
  period: { start: string; end: string } | null;
  paymentMethod: string;
  /** The vendor's account for transfers; printed when the customer pays by transfer. */
  bankAccount?: string | null;
  lines: Array<{ description: string; descriptionJa?: string | undefined; quantity: number; unitPrice: number; amount: number; taxRate: number }>;
  amount: { subtotal: number; tax: number; total: number };
  taxBreakdown: Array<{ rate: number; taxable: number; tax: number }>;
  /** A receipt (領収書) of a paid invoice: what was received, when and how; `number` is the receipt's. */
  receipt?: { invoiceNumber: string; paidOn: string; methods: string[]; received: number; bankFee: number } | undefined;
}

const TEXT = {
  ja: {
    title: { invoice: '請求書', quotation: '御見積書', 'credit-note': '適格返還請求書', receipt: '領収書' },
    received: (amount: string) => `金額 ${amount}（税込）`,
    receivedNote: '上記正に領収いたしました。',
    for: (number: string) => `但し 請求書 ${number} のお支払いとして`,
    paidOn: 'お支払日',
    fee: (fee: string, received: string) => `うち振込手数料 ${fee}（お客様ご負担分を差し引いてのご入金 ${received}）`,
    stamp: '電子的に発行した領収書のため、収入印紙は貼付しておりません。',
    number: '番号',
    issuedOn: '発行日',
    dueOn: 'お支払期限',
    period: '対象期間',
    to: (name: string) => `${name} 御中`,
    registration: '登録番号',
    item: '内容',
    quantity: '数量',
    unitPrice: '単価',
    amount: '金額',
    rateRow: (rate: number) => `${rate}%対象`,
    tax: '消費税',
    total: '合計（税込）',
    method: 'お支払方法',
    methods: { 'bank-transfer': '銀行振込', card: 'クレジットカード', paypal: 'PayPal', invoice: '請求書払い（銀行振込）' } as Record<string, string>,
    bank: 'お振込先',
    bankNote: '振込手数料はお客様のご負担でお願いいたします。',
    date: (iso: string) => {
      const [y, m, d] = iso.split('-').map(Number);
      return `${y}年${m}月${d}日`;
    },
  },
  en: {
    title: { invoice: 'Invoice', quotation: 'Quotation', 'credit-note': 'Credit note (qualified return invoice)', receipt: 'Receipt' },
    received: (amount: string) => `Amount received: ${amount} (tax included)`,
    receivedNote: 'We acknowledge receipt of the above amount with thanks.',
    for: (number: string) => `For: payment of invoice ${number}`,
    paidOn: 'Paid on',
    fee: (fee: string, received: string) => `Including a bank fee of ${fee} (received ${received}, the fee deducted)`,
    stamp: 'Issued electronically: no revenue stamp is affixed.',
    number: 'Number',
    issuedOn: 'Issued on',
    dueOn: 'Due on',
    period: 'Period',
    to: (name: string) => `To: ${name}`,
    registration: 'Registration number',
    item: 'Item',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    rateRow: (rate: number) => `Subject to ${rate}%`,
    tax: 'Consumption tax',
    total: 'Total (tax included)',
    method: 'Payment method',
    methods: { 'bank-transfer': 'Bank transfer', card: 'Credit card', paypal: 'PayPal', invoice: 'Invoice (bank transfer)' } as Record<string, string>,
    bank: 'Pay by transfer to',
    bankNote: 'Bank transfer fees are borne by the customer.',
    date: (iso: string) => iso,
  },
} as const;

/** Renders the document; deterministic for the same input (fixed creation date, no random id). */
export function renderDocumentPdf(doc: PdfDocumentInput, lang: 'ja' | 'en'): Promise<Buffer> {
  const t = TEXT[lang];
  const yen = (n: number) => formatYen(n, lang);
  // The parsed font is the default font: no Helvetica (its AFM was parsed for every document).
  const font = documentFont() as unknown as string;
  const pdf = new PDFDocument({ size: 'A4', margin: 50, font, info: { Title: `${t.title[doc.kind]} ${doc.number}`, Author: doc.issuerName, CreationDate: new Date(`${doc.issuedOn}T00:00:00Z`) } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  pdf.fontSize(20).text(t.title[doc.kind], { align: 'center' });
  pdf.moveDown();
  pdf.fontSize(10);
  pdf.text(`${t.number}: ${doc.number}`);
  pdf.text(`${t.issuedOn}: ${t.date(doc.issuedOn)}`);
  if (doc.kind === 'invoice') pdf.text(`${t.dueOn}: ${t.date(doc.dueOn)}`);
  if (doc.receipt) pdf.text(`${t.paidOn}: ${t.date(doc.receipt.paidOn)}`);
  if (doc.period) pdf.text(`${t.period}: ${t.date(doc.period.start)} 〜 ${t.date(doc.period.end)}`);
  const methods = doc.receipt ? doc.receipt.methods : [doc.paymentMethod];
  pdf.text(`${t.method}: ${methods.map((m) => t.methods[m] ?? m).join(', ')}`);
  pdf.moveDown();
  pdf.fontSize(13).text(t.to(doc.customerName));
  if (doc.receipt) {
    pdf.moveDown(0.5);
    pdf.fontSize(16).text(t.received(yen(doc.amount.total)));
    pdf.fontSize(10).text(t.for(doc.receipt.invoiceNumber));
    if (doc.receipt.bankFee > 0) pdf.text(t.fee(yen(doc.receipt.bankFee), yen(doc.receipt.received)));
    pdf.text(t.receivedNote);
  }
  pdf.fontSize(10).text(doc.issuerName, { align: 'right' });
  pdf.text(`${t.registration}: ${doc.registrationNumber}`, { align: 'right' });
  pdf.moveDown();
  const cols = [50, 300, 360, 450];
  const row = (cells: string[]) => {
    const y = pdf.y;
    pdf.text(cells[0]!, cols[0], y, { width: 240 });
    const after = pdf.y;
    pdf.text(cells[1]!, cols[1], y, { width: 50, align: 'right' });
    pdf.text(cells[2]!, cols[2], y, { width: 80, align: 'right' });
    pdf.text(cells[3]!, cols[3], y, { width: 95, align: 'right' });
    pdf.x = cols[0]!;
    pdf.y = Math.max(after, pdf.y) + 4;
  };
  row([t.item, t.quantity, t.unitPrice, t.amount]);
  for (const line of doc.lines) row([lang === 'ja' ? (line.descriptionJa ?? line.description) : line.description, String(line.quantity), yen(line.unitPrice), yen(line.amount)]);
  pdf.moveDown();
  for (const b of doc.taxBreakdown) row([t.rateRow(b.rate), '', yen(b.taxable), `${t.tax} ${yen(b.tax)}`]);
  row([t.total, '', '', yen(doc.amount.total)]);
  const byTransfer = doc.paymentMethod === 'bank-transfer' || doc.paymentMethod === 'invoice';
  if (doc.kind === 'invoice' && byTransfer && doc.bankAccount) {
    pdf.moveDown();
    pdf.text(`${t.bank}: ${doc.bankAccount}`);
    pdf.text(t.bankNote);
  }
  if (doc.kind === 'receipt') {
    pdf.moveDown();
    pdf.text(t.stamp);
  }
  pdf.end();
  return done;
}
