def test_the_scheduler_does_not_log_every_tick() -> None:
    import logging

    from config.logging_setup import setup_logging

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        setup_logging(logging.INFO)
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
        assert logging.getLogger("lotse.reminders").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)
