"""OAI1xx: hardcoded and exposed OpenAI keys. One module per rule (``oai1NN_*.py``), each registering its
checks; importing the family imports them all (in rule order, the order of the check manifest)."""

from oai_lint.checks.credentials import (
    oai101_hardcoded_key,
    oai102_browser_client,
    oai103_public_env_name,
    oai104_key_in_deploy_config,
    oai105_key_in_image,
    oai106_env_file_not_ignored,
)

__all__ = [
    "oai101_hardcoded_key",
    "oai102_browser_client",
    "oai103_public_env_name",
    "oai104_key_in_deploy_config",
    "oai105_key_in_image",
    "oai106_env_file_not_ignored",
]
