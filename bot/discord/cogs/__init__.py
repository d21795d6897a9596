"""One cog per thing a user talks about: role-plays, scenarios, debriefs, the cohort, the bot's config."""

from bot.discord.cogs.cohort import Cohort
from bot.discord.cogs.config import Config
from bot.discord.cogs.debriefs import Debriefs
from bot.discord.cogs.roleplay import Roleplay
from bot.discord.cogs.scenarios import Scenarios

COGS = (Roleplay, Scenarios, Debriefs, Cohort, Config)

__all__ = ["COGS", "Cohort", "Config", "Debriefs", "Roleplay", "Scenarios"]
