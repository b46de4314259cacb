import { useId } from 'react';
import { validateOptions, type CartItem, type OptionsSchema } from '@portico/shared';
import { OptionsForm, optionMessage, useOptionsForm } from '../catalog/options-form.tsx';
import { useService } from '../catalog/catalog.api.ts';
import { ErrorState, LoadingState } from '../../components/states.tsx';

interface CartItemOptionsProps {
  item: CartItem;
  currency: string;
  /** Called with the cleaned values each time the form is valid. */
  onValid: (options: Record<string, unknown>) => void;
  /** Messages from the server by option key (`options.diskGb` → `diskGb`). */
  serverErrors: Record<string, string | undefined>;
}

/** The service's own options form, to change a cart item's configuration in place. */
export function CartItemOptions({ item, ...rest }: CartItemOptionsProps) {
  const service = useService(item.service.slug);
  if (service.isPending) return <LoadingState label="Loading the options…" />;
  if (service.isError) return <ErrorState error={service.error} onRetry={() => void service.refetch()} />;
  if (!service.data.options) return <p className="muted small">This service has no options to choose.</p>;
  return <OptionsEditor schema={service.data.options} item={item} {...rest} />;
}

function OptionsEditor({
  schema,
  item,
  currency,
  onValid,
  serverErrors,
}: CartItemOptionsProps & { schema: OptionsSchema }) {
  const uid = useId();
  const form = useOptionsForm(schema, item.options);
  const errors: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.properties)) {
    const server = serverErrors[key];
    errors[key] =
      form.shownErrors[key] ??
      (server ? optionMessage(schema.properties[key]?.title ?? key, server) : undefined);
  }
  return (
    <OptionsForm
      schema={schema}
      values={form.values}
      onChange={(key, value) => {
        form.setValue(key, value);
        const checked = validateOptions(schema, { ...form.values, [key]: value });
        if (checked.errors.length === 0) onValid(checked.values);
      }}
      onBlur={form.touch}
      errors={errors}
      idPrefix={`${uid}-opt`}
      currency={currency}
    />
  );
}
