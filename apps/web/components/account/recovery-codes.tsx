'use client';

import { Check, Copy, Download } from 'lucide-react';
import { useId, useState } from 'react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** Recovery codes, shown once: copy or download them, confirm they are saved, then close. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [isSaved, setIsSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const checkboxId = useId();
  const text = `Switchyard recovery codes\n\n${codes.join('\n')}\n\nEach code works once.\n`;

  const copy = async () => {
    await navigator.clipboard.writeText(codes.join('\n'));
    setCopied(true);
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'switchyard-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="grid gap-4">
      <Alert variant="warning">
        <AlertTitle>Save your recovery codes now</AlertTitle>
        <AlertDescription>
          If you lose your authenticator, each of these codes lets you log in once. This is the only
          time they are shown.
        </AlertDescription>
      </Alert>
      <ul
        aria-label="Recovery codes"
        data-testid="recovery-codes"
        className="grid grid-cols-1 gap-2 rounded-lg border bg-muted/40 p-4 font-mono text-sm min-[420px]:grid-cols-2"
      >
        {codes.map((code) => (
          <li key={code} className="tracking-wider">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" size="sm" onClick={() => void copy()}>
          {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
          {copied ? 'Copied' : 'Copy codes'}
        </Button>
        <Button type="button" variant="outline" size="sm" onClick={download}>
          <Download aria-hidden="true" />
          Download .txt
        </Button>
      </div>
      <div className="flex items-center gap-2">
        <input
          id={checkboxId}
          type="checkbox"
          className="size-4 accent-primary"
          checked={isSaved}
          onChange={(event) => setIsSaved(event.target.checked)}
        />
        <label htmlFor={checkboxId} className="text-sm">
          I have saved my recovery codes somewhere safe
        </label>
      </div>
      <Button type="button" className="justify-self-start" disabled={!isSaved} onClick={onDone}>
        Done
      </Button>
    </div>
  );
}
