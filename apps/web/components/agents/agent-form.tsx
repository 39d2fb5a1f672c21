'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { FieldFrame } from '@/components/forms/field-frame';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import type { AgentInput } from '@/lib/api/agents';
import { BUILT_IN_TOOLS, PROVIDERS, type Provider } from '@/lib/api/runtime-schemas';
import { applyApiError, readFormError } from '@/lib/apply-api-error';

export const PROVIDER_LABELS: Record<Provider, string> = {
  scripted: 'Scripted model (offline, no API key)',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  'openai-compatible': 'OpenAI-compatible server (Ollama, vLLM, llama.cpp)',
};

const DEFAULT_MODELS: Record<Provider, string> = {
  scripted: 'scripted',
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  'openai-compatible': '',
};

const agentFormSchema = z.object({
  name: z.string().trim().min(1, 'Name the agent, e.g. "Researcher"').max(100),
  instructions: z
    .string()
    .trim()
    .min(1, 'Tell the agent its role and how to answer')
    .max(20_000, 'Use at most 20,000 characters'),
  provider: z.enum(PROVIDERS),
  model: z.string().trim().min(1, 'Enter the model name').max(200),
  tools: z.array(z.string()),
  maxSteps: z
    .number({ message: 'Enter a whole number from 1 to 100' })
    .int('Enter a whole number from 1 to 100')
    .min(1, 'Enter a whole number from 1 to 100')
    .max(100, 'Enter a whole number from 1 to 100'),
});
type AgentFormValues = z.infer<typeof agentFormSchema>;

export const NEW_AGENT_VALUES: AgentFormValues = {
  name: '',
  instructions: '',
  provider: 'scripted',
  model: 'scripted',
  tools: [],
  maxSteps: 10,
};

/**
 * Create or edit an agent. `onSave` gets only the fields that changed (all of them for a new
 * agent); an api refusal is shown under the field it names.
 */
export function AgentForm({
  defaultValues,
  submitLabel,
  onSave,
}: {
  defaultValues: AgentFormValues;
  submitLabel: string;
  onSave: (input: Partial<AgentInput>) => Promise<unknown>;
}) {
  const form = useForm<AgentFormValues>({
    resolver: zodResolver(agentFormSchema),
    defaultValues,
  });
  const { errors, dirtyFields, isSubmitting } = form.formState;
  const provider = useWatch({ control: form.control, name: 'provider' });

  const submit = form.handleSubmit(async (values) => {
    const changed = Object.fromEntries(
      Object.entries(values).filter(([key]) => key in dirtyFields),
    ) as Partial<AgentInput>;
    if (Object.keys(changed).length === 0) {
      form.setError('root.server', { type: 'server', message: 'Nothing changed.' });
      return;
    }
    try {
      await onSave(changed);
      form.reset(values);
    } catch (error) {
      applyApiError(form, error);
    }
  });

  return (
    <form noValidate className="grid gap-5" onSubmit={(event) => void submit(event)}>
      <TextField label="Name" error={errors.name?.message} {...form.register('name')} />
      <FieldFrame
        label="Instructions"
        hint="The agent's role: what it does and how it answers."
        error={errors.instructions?.message}
      >
        {(control) => <Textarea rows={5} {...control} {...form.register('instructions')} />}
      </FieldFrame>
      <div className="grid items-start gap-5 sm:grid-cols-2">
        <FieldFrame
          label="Provider"
          error={errors.provider?.message}
          hint={
            provider === 'scripted'
              ? 'Offline and deterministic: answers from the task itself, and calls a tool when the task mentions it. Needs no API key.'
              : 'Needs the provider’s key (or server URL) in the workers’ settings.'
          }
        >
          {(control) => (
            <NativeSelect
              {...control}
              {...form.register('provider', {
                onChange: (event: { target: { value: string } }) => {
                  const next = PROVIDERS.find((entry) => entry === event.target.value);
                  if (next) form.setValue('model', DEFAULT_MODELS[next], { shouldDirty: true });
                },
              })}
            >
              {PROVIDERS.map((entry) => (
                <option key={entry} value={entry}>
                  {PROVIDER_LABELS[entry]}
                </option>
              ))}
            </NativeSelect>
          )}
        </FieldFrame>
        <TextField
          label="Model"
          error={errors.model?.message}
          readOnly={provider === 'scripted'}
          hint={
            provider === 'scripted' ? 'The scripted model has one model: “scripted”.' : undefined
          }
          {...form.register('model')}
        />
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">Tools</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {BUILT_IN_TOOLS.map(({ name, label }) => (
            <label key={name} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                value={name}
                className="mt-0.5 size-4 accent-primary"
                {...form.register('tools')}
              />
              <span>
                {label} <code className="text-xs text-muted-foreground">{name}</code>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextField
        label="Max steps"
        type="number"
        min={1}
        max={100}
        className="sm:max-w-48"
        hint="Most model calls in one turn."
        error={errors.maxSteps?.message}
        {...form.register('maxSteps', { valueAsNumber: true })}
      />
      <FormError message={readFormError(form)} />
      <SubmitButton className="justify-self-start" isPending={isSubmitting} pendingLabel="Saving…">
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
