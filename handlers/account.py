"""Accounts in the chat: /start, /register, /login, /logout, /me.

/register and /login take everything on one line, or ask step by step when
sent bare (with /cancel). The message holding a password is deleted from the
chat as soon as it has been read.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, ContextTypes, ConversationHandler, MessageHandler, filters

from fitness_core.services import accounts
from fitness_core.services.accounts import AccountError, Member
from handlers import coach, pending
from handlers.common import Reply, as_member, command_text, escape, runtime, send

log = logging.getLogger(__name__)

ASK_USERNAME, ASK_EMAIL, ASK_PASSWORD, ASK_LOGIN_USERNAME, ASK_LOGIN_PASSWORD = range(5)

WELCOME = (
    "Hi! I'm <b>Primary Assistant</b>, your fitness log and coach's assistant.\n\n"
    "Tell me about your day in plain words and I'll save it:\n"
    "  <code>weight 182 bf 18</code>\n"
    "  <code>bench 3x5 @ 185</code>\n"
    "  <code>lunch chicken salad 450 kcal 40p</code>\n\n"
    "First link this chat to an account: /register <i>username email password</i> "
    "or /login <i>username password</i>. /help shows everything I understand."
)


# Every <code> example here is checked by a test to parse into entries without errors.
HELP_SECTIONS = (
    ("Body", ("weight 182", "w 82.5kg bf 18%", "waist 34 chest 42", "bp 120/80 rhr 58", "mood 8 energy 7 sleep 6")),
    (
        "Training",
        (
            "bench 3x5 @ 185",
            "squat 5x5 100kg rpe 8",
            "bench 185x5, 185x5, 180x6",
            "pullups 3x10",
            "plank 3x60s",
            "run 5k 27:30",
            "workout 60 min intensity 8",
        ),
    ),
    (
        "Food and water",
        (
            "breakfast oatmeal 350 kcal 12p 60c 6f",
            "snack protein bar 20p 25c 8f",
            "post workout shake 40p at 6pm",
            "water 500ml",
        ),
    ),
    ("Another day", ("yesterday weight 183", "last friday bench 3x5 @ 180", "nov 3 run 5k 26:10")),
)
HELP_FOOTER = (
    "Several things in one message are fine, one per line or separated by <code>;</code>. "
    "Units: bare numbers use your setting (/units); an explicit kg, lb, cm or km always wins.\n\n"
    "<b>Commands</b>\n"
    "/today, /week, /history: what you logged\n"
    "/undo: take back your last log\n"
    "/goal, /goals: set goals and see progress, e.g. <code>/goal weight 175 by mar 1</code>\n"
    "/photos: progress photos (send a photo captioned front, side, back or flex)\n"
    "/join, /leave, /actions: coaching (coaches: /invite, /clients, /review, /session, /drop; /session help)\n"
    "/settings, /units, /tz, /reminders: your settings\n"
    "/me, /logout: your account"
)


def help_text() -> str:
    sections = [
        f"<b>{title}</b>\n" + "\n".join(f"  <code>{escape(example)}</code>" for example in examples)
        for title, examples in HELP_SECTIONS
    ]
    return "Tell me what you did, the way you would write it down:\n\n" + "\n\n".join(sections) + "\n\n" + HELP_FOOTER


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A deep link from a coach's invite (t.me/<bot>?start=<code>) carries the code as the argument."""
    if context.args:
        await coach.start_with_invite(update, context, context.args[0])
        return
    await send(update, Reply(WELCOME))


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(help_text()))


async def _forget_password_message(update: Update) -> None:
    """Delete the message with the password; if Telegram refuses (too old, a group), say so."""
    try:
        await update.effective_message.delete()
    except TelegramError as error:
        log.warning("could not delete a password message in chat %s: %s", update.effective_chat.id, error)
        await send(update, Reply("I could not delete your password message: please delete it yourself."))


async def _linked(update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member, greeting: str) -> int:
    """After a link: greet, then log what they sent before linking."""
    await send(update, Reply(greeting))
    await pending.log_after_link(update, context, member)
    return ConversationHandler.END


async def _register(
    update: Update, context: ContextTypes.DEFAULT_TYPE, username: str, email: str, password: str
) -> int:
    rt = runtime(context)
    user = update.effective_user
    try:
        member = await rt.run(
            lambda session: accounts.register(
                session,
                username=username,
                email=email,
                password=password,
                telegram_user_id=user.id,
                chat_id=update.effective_chat.id,
                now=rt.clock(),
                full_name=user.full_name,
            )
        )
    except AccountError as error:
        await send(update, Reply(f"{escape(str(error))}\nSend /register to try again."))
        return ConversationHandler.END
    greeting = (
        f"Welcome, <b>{escape(member.username)}</b>! This chat is linked to your new account.\n"
        "Units: imperial (lb, in); change with /units metric. Time zone: UTC; set yours with /tz, "
        "e.g. <code>/tz Europe/Berlin</code>."
    )
    return await _linked(update, context, member, greeting)


async def register(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    words = command_text(update).split()
    if len(words) >= 3:
        await _forget_password_message(update)
        return await _register(update, context, words[0], words[1], " ".join(words[2:]))
    if words:
        await send(
            update, Reply("Send it all on one line: /register <i>username email password</i>, or /register alone.")
        )
        return ConversationHandler.END
    await send(
        update, Reply("Let's create your account. Pick a username (3-50 letters, digits, . _ -). /cancel to stop.")
    )
    return ASK_USERNAME


async def got_username(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    username = update.effective_message.text.strip()
    if not accounts.USERNAME.match(username):
        await send(update, Reply("Usernames are 3-50 letters, digits, dots, dashes or underscores. Try another."))
        return ASK_USERNAME
    context.user_data["register"] = {"username": username}
    await send(update, Reply("Your email address?"))
    return ASK_EMAIL


async def got_email(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    email = update.effective_message.text.strip()
    if not accounts.EMAIL.match(email):
        await send(update, Reply(f"“{escape(email)}” does not look like an email address. Try again."))
        return ASK_EMAIL
    context.user_data.setdefault("register", {})["email"] = email
    await send(update, Reply("Now a password (8 or more characters). I'll delete your message right after reading it."))
    return ASK_PASSWORD


async def got_password(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    password = update.effective_message.text
    await _forget_password_message(update)
    details = context.user_data.pop("register", {})
    if "username" not in details or "email" not in details:
        await send(update, Reply("Something got lost along the way. Send /register to start again."))
        return ConversationHandler.END
    return await _register(update, context, details["username"], details["email"], password)


async def _login(update: Update, context: ContextTypes.DEFAULT_TYPE, username: str, password: str) -> int:
    rt = runtime(context)
    result = await rt.run(
        lambda session: accounts.login(
            session,
            username=username,
            password=password,
            telegram_user_id=update.effective_user.id,
            chat_id=update.effective_chat.id,
            now=rt.clock(),
        )
    )
    if result.member is None:
        await send(update, Reply(escape(result.message)))
        return ConversationHandler.END
    return await _linked(
        update, context, result.member, f"{escape(result.message)} This chat is linked to your account."
    )


async def login(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    words = command_text(update).split()
    if len(words) >= 2:
        await _forget_password_message(update)
        return await _login(update, context, words[0], " ".join(words[1:]))
    if words:
        context.user_data["login"] = words[0]
        await send(update, Reply("Your password? I'll delete your message right after reading it. /cancel to stop."))
        return ASK_LOGIN_PASSWORD
    await send(update, Reply("Your username? /cancel to stop."))
    return ASK_LOGIN_USERNAME


async def got_login_username(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data["login"] = update.effective_message.text.strip()
    await send(update, Reply("Your password? I'll delete your message right after reading it."))
    return ASK_LOGIN_PASSWORD


async def got_login_password(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    password = update.effective_message.text
    await _forget_password_message(update)
    return await _login(update, context, context.user_data.pop("login", ""), password)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop("register", None)
    context.user_data.pop("login", None)
    await send(update, Reply("Cancelled. Nothing was saved."))
    return ConversationHandler.END


async def logout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session, member: Member) -> Reply:
        await accounts.logout(session, member)
        return Reply("Logged out: this chat is no longer linked. Your data stay safe; /login to come back.")

    await as_member(update, context, work)


async def me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session, member: Member) -> Reply:
        found = await accounts.profile(session, member)
        user, settings = found.user, found.settings
        lines = [
            f"<b>{escape(user.full_name or user.username)}</b> (@{escape(user.username)})",
            f"Role: {user.role.value}",
            f"Email: {escape(found.email)}",
            f"Member since: {user.created_at.astimezone(member.zone):%b %-d, %Y}",
            f"Units: {settings.unit_system.value} · Time zone: {escape(settings.timezone)}",
            f"Daily check-in reminder: {settings.reminder_time:%H:%M}",
            "Change settings with /settings.",
        ]
        return Reply("\n".join(lines))

    await as_member(update, context, work)


TEXT = filters.TEXT & ~filters.COMMAND
CANCEL = CommandHandler("cancel", cancel)

HANDLERS = [
    CommandHandler("start", start),
    CommandHandler("help", show_help),
    ConversationHandler(
        entry_points=[CommandHandler("register", register)],
        states={
            ASK_USERNAME: [MessageHandler(TEXT, got_username)],
            ASK_EMAIL: [MessageHandler(TEXT, got_email)],
            ASK_PASSWORD: [MessageHandler(TEXT, got_password)],
        },
        fallbacks=[CANCEL],
        name="register",
    ),
    ConversationHandler(
        entry_points=[CommandHandler("login", login)],
        states={
            ASK_LOGIN_USERNAME: [MessageHandler(TEXT, got_login_username)],
            ASK_LOGIN_PASSWORD: [MessageHandler(TEXT, got_login_password)],
        },
        fallbacks=[CANCEL],
        name="login",
    ),
    CommandHandler("logout", logout),
    CommandHandler("me", me),
]

COMMANDS = [
    ("help", "What you can type"),
    ("register", "Create an account and link this chat"),
    ("login", "Link this chat to your account"),
    ("logout", "Unlink this chat"),
    ("me", "Your profile"),
]
