/** Who wrote a message. `tool` messages carry a tool's result and name the call they answer. */
export const CHAT_ROLES = ['system', 'user', 'assistant', 'tool'] as const;

export type ChatRole = (typeof CHAT_ROLES)[number];
