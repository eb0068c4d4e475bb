// Idempotency keys as a retrying person needs them: one key per attempt (the same choices, or the
// same decision on the same item), made on its first try and kept for its retries, so an answer
// lost on the way is never a second booking or decision. `forget` starts afresh after a success.
import { useRef } from 'react';

export function useAttemptKeys(): { keyFor: (attempt: string) => string; forget: () => void } {
  const keys = useRef(new Map<string, string>());
  return {
    keyFor: (attempt) => {
      if (!keys.current.has(attempt)) keys.current.set(attempt, crypto.randomUUID());
      return keys.current.get(attempt)!;
    },
    forget: () => keys.current.clear(),
  };
}
