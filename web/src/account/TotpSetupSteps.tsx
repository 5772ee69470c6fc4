import type { ReactNode } from 'react';

/**
 * Setting up the second factor, in three numbered steps: get an app, scan the QR code (`qr`) or type the
 * secret (in groups of four), type the first code. Shown at a forced enrolment and in my account.
 */
export function TotpSetupSteps({ secret, qr, secretLabel, steps: [first, second, third] }: { secret: string; qr: ReactNode; secretLabel: string; steps: [string, string, string] }) {
  return (
    <ol className="steps">
      <li>{first}</li>
      <li>
        {second}
        <div className="qr-setup">
          {qr}
          <span className="secret">
            <span className="secret__label">{secretLabel}</span>
            <code data-testid="totp-secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </span>
        </div>
      </li>
      <li>{third}</li>
    </ol>
  );
}
