/** Orders awaiting the customer's acceptance (GET /v1/orders?status=placed), across accounts. */
import { Card } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading } from './parts.js';
import type { Account, Order } from './types.js';

export function OrdersScreen() {
  const { api, timeZone } = useConsole();
  const { ct, t, label, yen, period, lang } = useTexts();
  const loaded = useLoad(async () => {
    const [orders, accounts] = await Promise.all([api.get<{ orders: Order[] }>('/v1/orders?status=placed&limit=200'), api.get<{ accounts: Account[] }>('/v1/accounts?limit=500')]);
    const names = new Map(accounts.accounts.map((a) => [a.id, a.name]));
    return orders.orders.map((o) => ({ ...o, accountName: names.get(o.accountId) ?? o.accountId }));
  }, [api]);
  return (
    <Card testId="orders">
      <p>{ct('ordersIntro')}</p>
      <LoadProblem problem={loaded.problem} onRetry={() => void loaded.reload()} />
      <Loading when={loaded.loading && !loaded.data} />
      {loaded.data ? (
        <DataTable
          testId="orders-table"
          rows={loaded.data}
          rowKey={(o) => o.id}
          rowTestId={(o) => `order-${o.id}`}
          empty={ct('noOrders')}
          columns={[
            { header: ct('placedAt'), cell: (o) => formatInstant(o.placedAt, timeZone, lang) },
            {
              header: ct('account'),
              cell: (o) => <ConsoleLink to={`/console/accounts/${o.accountId}`}>{o.accountName}</ConsoleLink>,
            },
            { header: ct('orderType'), cell: (o) => <span className="kc-nowrap">{label('order', o.type)}</span> },
            { header: t('period'), cell: (o) => period(o.period.start, o.period.end) },
            { header: t('paymentMethod'), cell: (o) => <span className="kc-nowrap">{label('pm', o.paymentMethod)}</span> },
            { header: ct('acceptance'), cell: (o) => <span className="kc-nowrap">{label('acceptance', o.acceptance)}</span> },
            { header: t('total'), cell: (o) => yen(o.amount.total), numeric: true },
          ]}
        />
      ) : null}
    </Card>
  );
}
