import type { TextKey } from './en.js';

/** Every user-facing string of hamdam in Persian (right to left), key for key with EN. */
export const FA = {
  'button.find': '🔍 پیدا کردن هم‌صحبت',
  'button.next': '⏭ بعدی',
  'button.stop': '⛔ پایان',
  'button.cancel': '✖ لغو جست‌وجو',
  'button.settings': '⚙️ تنظیمات',
  'button.help': 'ℹ️ راهنما',
  'button.report': '🚩 گزارش',

  welcome:
    'به همدم خوش آمدید: گفت‌وگوی ناشناس دونفره.\n\n' +
    'دکمهٔ «پیدا کردن هم‌صحبت» را بزنید تا با یک غریبه که با فیلترهای شما جور است وصل شوید. ' +
    'هیچ‌کدام نام، نام کاربری یا شناسهٔ دیگری را نمی‌بیند؛ پیام‌ها را ربات می‌رساند.',
  help:
    'راهنما:\n' +
    '• /find — پیدا کردن هم‌صحبت (یا دکمه را بزنید)\n' +
    '• /next — پایان این گفت‌وگو و رفتن سراغ نفر بعدی\n' +
    '• /stop — پایان گفت‌وگو یا خروج از صف\n' +
    '• /report — گزارش هم‌صحبت و پایان گفت‌وگو\n' +
    '• /block — پایان گفت‌وگو و دیگر هرگز ندیدن این هم‌صحبت\n' +
    '• /settings — مشخصات شما و این‌که با چه کسی می‌خواهید آشنا شوید\n\n' +
    'متن، عکس، آلبوم، ویدیو، پیام صوتی، استیکر و فایل بدون نام شما فرستاده می‌شوند. ' +
    'پاسخ‌ها و ویرایش‌ها هم منعکس می‌شوند. مخاطب (شماره تماس) فرستاده نمی‌شود.',
  helpAdmin:
    'مدیر: /stats، /ban <شناسه> [مدت: 30m، 12h، 7d؛ بدون مدت = دائمی]، /unban <شناسه>، ' +
    '/broadcast <متن> (یا /broadcast را در پاسخ به یک پیام بفرستید)، /broadcast cancel.',

  'onboarding.language': 'زبان خود را انتخاب کنید:',
  'onboarding.gender': 'مرد هستید یا زن؟ هم‌صحبت شما این را نمی‌بیند؛ فقط برای جفت‌یابی است.',
  'onboarding.age': 'چند سال دارید؟ سن خود را به عدد بفرستید (۱۳ تا ۹۹).',
  'onboarding.ageInvalid': 'این سن قابل قبول نیست. لطفاً عددی بین ۱۳ تا ۹۹ بفرستید، مثلاً ۲۷.',
  'onboarding.done':
    '✅ مشخصات شما ذخیره شد. برای شروع «پیدا کردن هم‌صحبت» را بزنید، یا با /settings آن را تغییر دهید.',

  searching: '🔎 در حال پیدا کردن هم‌صحبت… به‌محض پیدا شدن کسی که جور باشد وصل می‌شوید.',
  alreadySearching: '🔎 شما همین حالا در صف هستید. برای خروج /stop را بزنید.',
  matched: '✅ هم‌صحبت پیدا شد! سلام کنید. /next برای نفر بعدی، /stop برای پایان گفت‌وگو.',
  alreadyChatting: 'شما در یک گفت‌وگو هستید. /next برای نفر بعدی، /stop برای پایان آن.',
  youEnded: 'گفت‌وگو را پایان دادید. برای آشنایی با نفر جدید «پیدا کردن هم‌صحبت» را بزنید.',
  partnerEnded:
    'هم‌صحبت شما گفت‌وگو را پایان داد. برای آشنایی با نفر جدید «پیدا کردن هم‌صحبت» را بزنید.',
  partnerLeft:
    'هم‌صحبت شما گفت‌وگو را ترک کرد. برای آشنایی با نفر جدید «پیدا کردن هم‌صحبت» را بزنید.',
  searchCancelled: 'جست‌وجو لغو شد.',
  notChatting: 'شما در گفت‌وگویی نیستید. برای شروع «پیدا کردن هم‌صحبت» را بزنید.',
  notDelivered: '⚠️ آخرین پیام شما به هم‌صحبتتان نرسید.',
  unknownCommand: 'دستور ناشناخته است. /help فهرست دستورها را نشان می‌دهد.',
  contactRefused:
    '🔒 مخاطب فرستاده نمی‌شود، چون نام و شمارهٔ شما را نشان می‌دهد. هم‌صحبت شما آن را دریافت نکرد.',
  slowDown: '⏳ آهسته‌تر: آخرین پیام‌های شما فرستاده نشدند. کمی صبر کنید و بعد ادامه دهید.',
  partnerBehind:
    '⏳ هم‌صحبت شما هنوز پیام‌های قبلی را دریافت نکرده است، بنابراین پیام‌های تازه‌تر فرستاده نشدند.',
  queueExpired:
    'پس از انتظاری طولانی از صف خارج شدید. برای جست‌وجوی دوباره «پیدا کردن هم‌صحبت» را بزنید.',
  idleEnded:
    'گفت‌وگو چون مدتی کسی چیزی ننوشت پایان یافت. برای آشنایی با نفر جدید «پیدا کردن هم‌صحبت» را بزنید.',

  'report.ask': '🚩 گفت‌وگو پایان یافت. دلیل گزارش هم‌صحبتتان چیست؟',
  'report.thanks': 'سپاس. گزارش ثبت شد؛ دیگر با این شخص جفت نمی‌شوید.',
  'report.nothing': 'کسی برای گزارش نیست: اخیراً با کسی گفت‌وگو نکرده‌اید.',
  'report.reason.spam': 'هرزنامه یا تبلیغ',
  'report.reason.abuse': 'توهین یا آزار',
  'report.reason.sexual': 'محتوای جنسی',
  'report.reason.minor': 'به نظر زیر سن قانونی است',
  'report.reason.other': 'دلیل دیگر',
  'block.done': '🚫 مسدود شد: گفت‌وگو پایان یافت و دیگر هرگز با این شخص جفت نمی‌شوید.',
  'block.nothing':
    '/block فقط در طول گفت‌وگو کار می‌کند: گفت‌وگو را پایان می‌دهد و شما را برای همیشه جدا نگه می‌دارد.',
  banned: '⛔ به دلیل گزارش کاربران دیگر، دسترسی شما به همدم تا {until} (UTC) مسدود است.',
  bannedForever: '⛔ دسترسی شما به همدم مسدود است.',
  unbanned: 'مسدودیت شما برداشته شد. خوش برگشتید.',
  tryAgainShortly: '⚠️ این کار الان ممکن نیست. لطفاً یک دقیقهٔ دیگر دوباره امتحان کنید.',

  'settings.title': '⚙️ تنظیمات',
  'settings.body':
    'زبان: {lang}\nشما: {gender}، {age} ساله\nمی‌خواهید آشنا شوید با: {wants}، سن {range}\n' +
    'زبان هم‌صحبت: {xlang}\nمحافظت از رسانه‌های شما در برابر فوروارد و ذخیره: {protect}\n\n' +
    'این‌ها فقط برای جفت‌یابی است؛ هم‌صحبت شما آن را نمی‌بیند.',
  'settings.saved': 'ذخیره شد.',
  'settings.ageAsk': 'سن جدید خود را به عدد بفرستید (۱۳ تا ۹۹).',
  'settings.finishChatFirst': 'این را پس از پایان گفت‌وگو می‌توانید تغییر دهید.',
  'settings.changeAge': '🎂 تغییر سن',
  'settings.minorsFixed': 'اعضای زیر ۱۸ سال فقط با اعضای زیر ۱۸ سال آشنا می‌شوند.',
  'settings.button.protectOn': '🔒 محافظت از رسانه‌هایم',
  'settings.button.protectOff': '🔓 لغو محافظت از رسانه‌هایم',
  'settings.button.sameLanguage': 'فقط هم‌زبان',
  'settings.button.anyLanguage': 'هر زبانی',
  unknownButton: 'این دکمه دیگر معتبر نیست.',

  'value.lang.fa': 'فارسی',
  'value.lang.en': 'English',
  'value.gender.m': 'مرد',
  'value.gender.f': 'زن',
  'value.wants.m': 'مردها',
  'value.wants.f': 'زن‌ها',
  'value.wants.any': 'همه',
  'value.range': '{min} تا {max}',
  'value.rangeOpen': '{min} و بیشتر',
  'value.xlang.same': 'فقط هم‌زبان',
  'value.xlang.any': 'هر زبانی',
  'value.on': 'روشن',
  'value.off': 'خاموش',
  'button.gender.m': 'مرد هستم',
  'button.gender.f': 'زن هستم',
  'button.wants.m': 'آشنایی با مردها',
  'button.wants.f': 'آشنایی با زن‌ها',
  'button.wants.any': 'آشنایی با همه',

  'admin.stats':
    '📊 همین حالا: {online} نفر آنلاین (۵ دقیقهٔ اخیر)، {chatting} نفر در گفت‌وگو، {queued} نفر در صف.\n' +
    'دقیقهٔ گذشته: {matches} جفت‌شدن، {messages} پیام.',
  'admin.usage':
    'کاربرد: /ban <شناسهٔ کاربر> [30m | 12h | 7d]، /unban <شناسهٔ کاربر>، /broadcast <متن>، /broadcast cancel.',
  'admin.bannedUntil': 'کاربر {id} تا {until} (UTC) مسدود شد.',
  'admin.bannedForever': 'کاربر {id} برای همیشه مسدود شد.',
  'admin.unbanned': 'مسدودیت کاربر {id} برداشته شد.',
  'admin.broadcastStarted': '📣 ارسال همگانی برای {total} کاربر آغاز شد.',
  'admin.broadcastProgress':
    '📣 ارسال همگانی: {queued} از {total} در صف، {failed} ناموفق تا این‌جا.',
  'admin.broadcastDone': '📣 ارسال همگانی تمام شد: {sent} رسید، {failed} نرسید.',
  'admin.broadcastBusy': 'یک ارسال همگانی در جریان است (/broadcast cancel آن را متوقف می‌کند).',
  'admin.broadcastCancelled':
    '📣 ارسال همگانی لغو شد: {sent} رسید، {failed} نرسید، {unsent} فرستاده نشد.',
  'admin.broadcastNotRunning': 'هیچ ارسال همگانی در جریان نیست.',
  'admin.broadcastEmpty':
    'متن را پس از /broadcast بنویسید، یا /broadcast را در پاسخ به پیامی که باید فرستاده شود بفرستید.',
  // The command menu Telegram clients show (setMyCommands): 1-256 characters each.
  'menu.find': 'پیدا کردن هم‌صحبت',
  'menu.next': 'پایان این گفت‌وگو و پیدا کردن هم‌صحبت دیگر',
  'menu.stop': 'پایان گفت‌وگو یا خروج از صف',
  'menu.report': 'گزارش هم‌صحبت و پایان گفت‌وگو',
  'menu.block': 'پایان گفت‌وگو و دیگر هرگز ندیدن این هم‌صحبت',
  'menu.settings': 'نمایهٔ شما و این‌که با چه کسی آشنا شوید',
  'menu.help': 'همدم چطور کار می‌کند',
  'menu.stats': 'مدیر: چند نفر آنلاین، در گفت‌وگو و در انتظارند',
  'menu.ban': 'مدیر: مسدود کردن کاربر (/ban شناسه [30m، 12h، 7d])',
  'menu.unban': 'مدیر: برداشتن مسدودیت (/unban شناسه)',
  'menu.broadcast': 'مدیر: فرستادن پیام به همهٔ کاربران',
} as const satisfies Record<TextKey, string>;
