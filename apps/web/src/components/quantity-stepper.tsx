interface QuantityStepperProps {
  id: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  /** What is counted, for the buttons' names ("Virtual Machine"). */
  of: string;
  invalid?: boolean;
  describedBy?: string;
}

/** − [n] +: a number input with buttons that are easy to hit on a phone. */
export function QuantityStepper({
  id,
  value,
  onChange,
  min = 1,
  max = 100,
  of,
  invalid,
  describedBy,
}: QuantityStepperProps) {
  const n = Number.isFinite(value) ? value : min;
  return (
    <div className="stepper">
      <button
        type="button"
        className="stepper__button"
        onClick={() => onChange(Math.max(min, n - 1))}
        disabled={n <= min}
        aria-label={`One less ${of}`}
      >
        −
      </button>
      <input
        id={id}
        className="input stepper__input"
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={Number.isFinite(value) ? value : ''}
        onChange={(e) => onChange(e.target.valueAsNumber)}
        aria-invalid={invalid}
        aria-describedby={describedBy}
      />
      <button
        type="button"
        className="stepper__button"
        onClick={() => onChange(Math.min(max, n + 1))}
        disabled={n >= max}
        aria-label={`One more ${of}`}
      >
        +
      </button>
    </div>
  );
}
