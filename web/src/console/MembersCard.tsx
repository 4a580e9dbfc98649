/** The account's members (products with seats): status, groups, when they registered. */
import { Card } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { DataTable, LoadProblem, Loading, StatusBadge } from './parts.js';
import type { Member } from './types.js';

export function MembersCard(props: { accountId: string; version: number }) {
  const { api, timeZone } = useConsole();
  const { ct, t, lang } = useTexts();
  const members = useLoad(async () => (await api.get<{ members: Member[] }>(`/v1/accounts/${props.accountId}/members`)).members, [api, props.accountId, props.version]);
  // Products without seats have no members: no card for them.
  if (members.data && members.data.length === 0) return null;
  return (
    <Card title={ct('membersTitle')} testId="members">
      <LoadProblem problem={members.problem} onRetry={() => void members.reload()} />
      <Loading when={members.loading && !members.data} />
      {members.data ? (
        <DataTable
          rows={members.data}
          rowKey={(m) => m.id}
          empty={ct('noMembers')}
          columns={[
            { header: t('email'), cell: (m) => m.email },
            { header: t('name'), cell: (m) => m.name ?? '' },
            { header: t('status'), cell: (m) => <StatusBadge prefix="member" code={m.status} /> },
            { header: ct('groups'), cell: (m) => m.groups.join(', ') },
            { header: ct('registeredAt'), cell: (m) => formatInstant(m.registeredAt, timeZone, lang) },
          ]}
        />
      ) : null}
    </Card>
  );
}
