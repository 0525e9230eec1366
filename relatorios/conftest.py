"""Coleta de testes nesta pasta: só o notebook modelo; as saídas geradas (gerados/) nunca são testadas."""
collect_ignore_glob = ["gerados/*", "gerados/**/*"]
