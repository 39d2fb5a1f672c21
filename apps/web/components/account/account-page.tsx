'use client';

import { DeleteAccountSection } from '@/components/account/delete-account-section';
import { PasswordSection } from '@/components/account/password-section';
import { ProfileSection } from '@/components/account/profile-section';
import { SessionsSection } from '@/components/account/sessions-section';
import { TwoFactorSection } from '@/components/account/two-factor-section';
import { FormError } from '@/components/forms/form-error';
import { PageShell, PageSkeleton } from '@/components/page-shell';
import { useRequireMe } from '@/hooks/use-me';
import { describeError } from '@/lib/api/api-error';

export function AccountPage() {
  const me = useRequireMe();
  if (me.isError) {
    return (
      <PageShell title="Account">
        <FormError message={describeError(me.error)} />
      </PageShell>
    );
  }
  if (!me.data) return <PageSkeleton />;
  const { user } = me.data;
  return (
    <PageShell title="Account" description="Your profile, sign-in methods and devices.">
      <div className="grid grid-cols-1 gap-6">
        <ProfileSection user={user} />
        <PasswordSection hasPassword={user.hasPassword} />
        <TwoFactorSection user={user} />
        <SessionsSection />
        <DeleteAccountSection user={user} />
      </div>
    </PageShell>
  );
}
