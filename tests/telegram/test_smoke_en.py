from bot.ports import UnitOfWorkFactory
from tests.telegram.harness import TelegramHarness


async def test_english_onboarding_reaches_menu(
    harness: TelegramHarness, uow_factory: UnitOfWorkFactory
) -> None:
    anna = harness.person(501, "en")
    sent = await anna.send("/start")
    assert sent[-1].labels[0] == "✓ English"
    await anna.tap("English")
    assert "Do you agree?" in anna.last_text()
    await anna.tap("I agree")
    assert "What would you like to do?" in anna.last_text()
