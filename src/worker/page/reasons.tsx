/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

/** Why a monitor or an incident is in its state, one reason per line; nothing when there is none. */
export const Reasons: FC<{ list: readonly string[] }> = ({ list }) =>
  list.length === 0 ? null : (
    <ul class="reasons">
      {list.map((r) => (
        <li>{r}</li>
      ))}
    </ul>
  );
