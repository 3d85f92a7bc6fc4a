// `npm run set-webhook`: registers PUBLIC_URL + WEBHOOK_PATH with Telegram, once per deploy,
// and the command menus (as the first worker also does at start).
// Workers never call setWebhook themselves: concurrent calls conflict at Telegram.
import { BotApi } from '@hamdam/telegram';
import { registerCommandMenus } from './command-menu.js';
import { configFromEnv } from './env.js';

const config = configFromEnv();
if (config.emulated || !config.webhook.publicUrl) {
  process.stderr.write('hamdam: set-webhook needs BOT_TOKEN, WEBHOOK_SECRET and PUBLIC_URL\n');
  process.exit(1);
}
const api = new BotApi({ token: config.telegram.token, apiRoot: config.telegram.apiRoot });
try {
  await api.setWebhook({
    url: `${config.webhook.publicUrl}${config.webhook.path}`,
    secret_token: config.webhook.secret,
    max_connections: config.webhook.maxConnections,
    allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
  });
  const info = await api.getWebhookInfo();
  process.stdout.write(`webhook set; pending updates: ${info.pending_update_count}\n`);
  const menus = await registerCommandMenus(api, config.adminIds);
  process.stdout.write(`command menus: ${menus.set} set, ${menus.unchanged} already right\n`);
  // The webhook is set; a menu that failed (an admin who never pressed Start) is only told.
  for (const failure of menus.failed) process.stderr.write(`command menu not set: ${failure}\n`);
} catch (err) {
  process.stderr.write(`set-webhook failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await api.close();
}
