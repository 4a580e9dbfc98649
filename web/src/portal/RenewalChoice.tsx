/**
 * What happens at the end of the contract period: renew, or return to the free plan (teamspace,
 * SPEC S3/S7) / end (ebook5). The API refuses `to-free` while a spot runs past the end.
 */
import { useId, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';

export function RenewalChoice() {
  const { t, date } = useI18n();
  const { api, accountId, state, product, refresh } = usePortal();
  const contract = state.contract;
  const [choice, setChoice] = useState(contract?.renewal ?? 'renew');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  if (!contract || (product.renewal.mode !== 'renew-or-free' && product.renewal.mode !== 'renew-same-term')) return null;
  const toFree = product.renewal.mode === 'renew-or-free' ? t({ ja: 'フリープランに戻る', en: 'Return to the free plan' }) : t({ ja: '更新しない（期間終了で終了）', en: 'Do not renew (ends with the period)' });

  async function save() {
    setBusy(true);
    setProblem(null);
    setSaved(false);
    try {
      await api.post(`/v1/accounts/${accountId}/contracts/${contract!.id}/renewal`, { renewal: choice });
      await refresh();
      setSaved(true);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <fieldset className="k-field" style={{ border: 0, padding: 0, marginTop: '1rem' }} data-testid="renewal-choice" aria-describedby={problem ? `${id}-error` : undefined}>
      <legend style={{ fontWeight: 600 }}>{t({ ja: '{end}の期間終了後', en: 'When the period ends on {end}' }, { end: date(contract.end) })}</legend>
      <div className="k-radio-list">
        <label>
          <input type="radio" name={`${id}-renewal`} value="renew" checked={choice === 'renew'} onChange={() => setChoice('renew')} />
          {t({ ja: '自動更新する', en: 'Renew automatically' })}
        </label>
        <label>
          <input type="radio" name={`${id}-renewal`} value="to-free" checked={choice === 'to-free'} onChange={() => setChoice('to-free')} />
          {toFree}
        </label>
      </div>
      {problem ? (
        <span className="k-field-error" id={`${id}-error`} role="alert" data-testid="error-renewal">
          {problem.detail}
        </span>
      ) : null}
      {saved ? (
        <span role="status" data-testid="renewal-saved">
          {t({ ja: '保存しました。', en: 'Saved.' })}
        </span>
      ) : null}
      <div>
        <Button variant="secondary" onClick={() => void save()} busy={busy} disabled={choice === contract.renewal}>
          {t({ ja: '更新方法を保存', en: 'Save renewal choice' })}
        </Button>
      </div>
    </fieldset>
  );
}
