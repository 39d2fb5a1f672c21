'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { ORGS_QUERY_KEY, orgQueryKeys } from '@/hooks/use-orgs';
import { describeError } from '@/lib/api/api-error';
import {
  changeMemberRole,
  inviteMember,
  leaveOrg,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
  transferOwnership,
} from '@/lib/api/orgs';
import { roleSchema, type Member, type Role } from '@/lib/api/schemas';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { emailField } from '@/lib/form-fields';
import { formatDate } from '@/lib/format';
import { ASSIGNABLE_ROLES, isRoleAtLeast, roleLabel } from '@/lib/roles';

type MembersTabProps = { orgId: string; myRole: Role | null; myUserId: string };

export function MembersTab({ orgId, myRole, myUserId }: MembersTabProps) {
  const isAdmin = isRoleAtLeast(myRole, 'admin');
  return (
    <div className="grid grid-cols-1 gap-6">
      <MembersTable orgId={orgId} myRole={myRole} myUserId={myUserId} />
      {isAdmin ? <InviteForm orgId={orgId} /> : null}
      {isAdmin ? <PendingInvitations orgId={orgId} /> : null}
    </div>
  );
}

function MembersTable({ orgId, myRole, myUserId }: MembersTabProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useQuery({
    queryKey: orgQueryKeys.members(orgId),
    queryFn: () => listMembers(orgId),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: orgQueryKeys.members(orgId) }),
      queryClient.invalidateQueries({ queryKey: orgQueryKeys.org(orgId) }),
      queryClient.invalidateQueries({ queryKey: ORGS_QUERY_KEY }),
    ]);
  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      changeMemberRole(orgId, userId, role),
    onSettled: refresh,
  });
  const isAdmin = isRoleAtLeast(myRole, 'admin');
  const isOwner = myRole === 'owner';

  const remove = async (member: Member) => {
    if (member.userId === myUserId) {
      await leaveOrg(orgId);
      await queryClient.invalidateQueries({ queryKey: ORGS_QUERY_KEY });
      router.push('/orgs');
      return;
    }
    await removeMember(orgId, member.userId);
    await refresh();
  };

  return (
    <SettingsSection title="Members" description="Everyone with access to this organisation.">
      {members.isPending ? (
        <div className="h-24 animate-pulse rounded-lg bg-muted" aria-label="Loading members" />
      ) : members.isError ? (
        <FormError message={describeError(members.error)} />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Member</TableHead>
              <TableHead className="w-32 sm:w-40">Role</TableHead>
              <TableHead className="hidden sm:table-cell">Joined</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.data.map((member) => {
              const isMe = member.userId === myUserId;
              const canChangeRole = isAdmin && !isMe && member.role !== 'owner';
              const canRemove = (isAdmin && member.role !== 'owner') || (isMe && !isOwner);
              return (
                <TableRow key={member.userId}>
                  <TableCell>
                    <div className="grid min-w-36">
                      <span className="font-medium break-words">
                        {member.name}
                        {isMe ? <span className="text-muted-foreground"> (you)</span> : null}
                      </span>
                      <span className="text-xs break-all text-muted-foreground">
                        {member.email}
                      </span>
                    </div>
                  </TableCell>
                  <TableCell>
                    {canChangeRole ? (
                      <NativeSelect
                        aria-label={`Role of ${member.name || member.email}`}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(event) => {
                          const role = roleSchema.parse(event.target.value);
                          changeRole.mutate({ userId: member.userId, role });
                        }}
                      >
                        {ASSIGNABLE_ROLES.map((role) => (
                          <option key={role} value={role}>
                            {roleLabel(role)}
                          </option>
                        ))}
                      </NativeSelect>
                    ) : (
                      <Badge variant={member.role === 'owner' ? 'default' : 'secondary'}>
                        {roleLabel(member.role)}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="hidden text-muted-foreground sm:table-cell">
                    {formatDate(member.joinedAt)}
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap justify-end gap-2">
                      {isOwner && !isMe ? (
                        <ConfirmDialog
                          trigger={
                            <Button variant="outline" size="sm">
                              Make owner
                            </Button>
                          }
                          title={`Transfer ownership to ${member.name || member.email}?`}
                          description="They become the owner; you stay on as an admin. Only the new owner can give ownership back."
                          confirmLabel="Transfer ownership"
                          onConfirm={async () => {
                            await transferOwnership(orgId, member.userId);
                            await refresh();
                          }}
                        />
                      ) : null}
                      {canRemove ? (
                        <ConfirmDialog
                          trigger={
                            <Button variant="outline" size="sm" className="text-destructive">
                              {isMe ? 'Leave' : 'Remove'}
                            </Button>
                          }
                          title={
                            isMe
                              ? 'Leave this organisation?'
                              : `Remove ${member.name || member.email}?`
                          }
                          description={
                            isMe
                              ? 'You lose access to its agents and runs until someone invites you again.'
                              : 'They lose access at once. You can invite them again later.'
                          }
                          confirmLabel={isMe ? 'Leave' : 'Remove'}
                          destructive
                          onConfirm={() => remove(member)}
                        />
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <FormError message={changeRole.isError ? describeError(changeRole.error) : null} />
    </SettingsSection>
  );
}

const inviteSchema = z.object({
  email: emailField,
  role: z.enum(ASSIGNABLE_ROLES),
});
type InviteValues = z.infer<typeof inviteSchema>;

function InviteForm({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const form = useForm<InviteValues>({
    resolver: zodResolver(inviteSchema),
    defaultValues: { email: '', role: 'member' },
  });
  const mutation = useMutation({
    mutationFn: (values: InviteValues) => inviteMember(orgId, values),
    onSuccess: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: orgQueryKeys.invitations(orgId) });
    },
    onError: (error) => applyApiError(form, error),
  });
  return (
    <SettingsSection
      title="Invite a member"
      description="We e-mail them a link. It works for 7 days, once, for that address only."
    >
      <form
        noValidate
        className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="Email"
          type="email"
          autoComplete="off"
          error={form.formState.errors.email?.message}
          {...form.register('email')}
        />
        <div className="grid gap-2">
          <Label htmlFor="invite-role">Role</Label>
          <NativeSelect id="invite-role" {...form.register('role')}>
            {ASSIGNABLE_ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <SubmitButton className="sm:mt-6" isPending={mutation.isPending} pendingLabel="Sending…">
          Send invitation
        </SubmitButton>
        <div className="sm:col-span-3">
          <FormError message={readFormError(form)} />
          {mutation.isSuccess ? (
            <p role="status" className="text-sm text-success">
              Invitation sent to {mutation.variables.email}.
            </p>
          ) : null}
        </div>
      </form>
    </SettingsSection>
  );
}

function PendingInvitations({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const invitations = useQuery({
    queryKey: orgQueryKeys.invitations(orgId),
    queryFn: () => listInvitations(orgId),
  });
  if (invitations.isPending) return null;
  if (invitations.isError) return <FormError message={describeError(invitations.error)} />;
  if (invitations.data.length === 0) return null;
  return (
    <SettingsSection title="Pending invitations">
      <ul className="divide-y rounded-lg border">
        {invitations.data.map((invitation) => (
          <li
            key={invitation.id}
            className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between"
          >
            <div className="min-w-0 text-sm">
              <span className="block font-medium break-all">{invitation.email}</span>
              <span className="text-xs text-muted-foreground">
                {roleLabel(invitation.role)} · expires {formatDate(invitation.expiresAt)}
              </span>
            </div>
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm" className="self-start sm:self-auto">
                  Revoke
                </Button>
              }
              title={`Revoke the invitation for ${invitation.email}?`}
              description="The link in their e-mail stops working."
              confirmLabel="Revoke"
              destructive
              onConfirm={async () => {
                await revokeInvitation(orgId, invitation.id);
                await queryClient.invalidateQueries({
                  queryKey: orgQueryKeys.invitations(orgId),
                });
              }}
            />
          </li>
        ))}
      </ul>
    </SettingsSection>
  );
}
