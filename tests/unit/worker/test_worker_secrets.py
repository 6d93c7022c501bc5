from __future__ import annotations

import base64

import pytest

from legato.worker.secrets import EnvSecrets, SecretNotFound


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_secret_is_read_from_upper_cased_env_var_and_decoded() -> None:
    secrets = EnvSecrets({"SECRET_MY_PASSWORD": b64("s3cr3t")})
    assert secrets.get("my_password") == "s3cr3t"
    assert secrets.get("MY_PASSWORD") == "s3cr3t"


def test_newlines_in_the_base64_value_are_ignored() -> None:
    encoded = b64("a fairly long secret value that base64 tools wrap")
    wrapped = encoded[:20] + "\n" + encoded[20:] + "\n"
    assert EnvSecrets({"SECRET_X": wrapped}).get("x") == (
        "a fairly long secret value that base64 tools wrap"
    )


def test_missing_secret_names_the_variable_to_set() -> None:
    with pytest.raises(SecretNotFound) as caught:
        EnvSecrets({}).get("api_token")
    assert "Cannot find secret for key 'api_token'" in caught.value.message
    assert "SECRET_API_TOKEN" in caught.value.message


def test_value_that_is_not_base64_is_an_error_naming_the_variable() -> None:
    with pytest.raises(SecretNotFound, match="SECRET_BAD is not valid base64"):
        EnvSecrets({"SECRET_BAD": "not base64!"}).get("bad")


def test_values_lists_every_decodable_secret() -> None:
    env = {"SECRET_A": b64("one"), "SECRET_B": "%%%", "OTHER": b64("two")}
    assert EnvSecrets(env).values() == ["one"]
