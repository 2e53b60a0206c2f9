async def log_after_link(update, context, member):
    return None
