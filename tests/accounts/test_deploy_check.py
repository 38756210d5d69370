import os
import secrets
import subprocess
import sys

PROGRAM = (
    "import django; from django.core.management import call_command; django.setup(); "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "SECURE_SSL_REDIRECT", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="techbridge.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        TECHBRIDGE_HTTPS="1",
        ALLOWED_HOSTS="techbridge.example",
        TECHBRIDGE_VAR_DIR=str(tmp_path),
    )
    assert len(env["SECRET_KEY"]) >= 50
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_does_catch_an_insecure_setup(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "TECHBRIDGE_HTTPS"}}
    env.update(DJANGO_SETTINGS_MODULE="techbridge.settings", DEBUG="0", TECHBRIDGE_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W009" in result.stderr
