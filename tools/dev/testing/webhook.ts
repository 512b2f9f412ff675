/**
 * POSTs one update to a gateway's webhook (`POST /telegram/webhook`, JSON) with its secret token in
 * `X-Telegram-Bot-Api-Secret-Token`, as Telegram does, and reads the answer to its end.
 * @returns the HTTP status (200 once the update is queued). @throws the fetch error when nothing answers.
 */
export async function postUpdate(webhook: string, secret: string, update: unknown): Promise<number> {
  const response = await fetch(webhook, {
    method: 'POST',
    body: JSON.stringify(update),
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
  });
  await response.arrayBuffer();
  return response.status;
}
