import os
import secrets
import subprocess
import sys

PROGRAM = (
    "import django; from django.core.management import call_command; django.setup(); "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def run_deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    """In a fresh process with only the given settings: the test run's own environment must not leak in."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "techbridge.settings",
        "TECHBRIDGE_VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    secret_key = secrets.token_urlsafe(48)
    assert len(secret_key) >= 50
    result = run_deploy_check(
        tmp_path, DEBUG="0", SECRET_KEY=secret_key, TECHBRIDGE_HTTPS="1", ALLOWED_HOSTS="techbridge.example"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_does_catch_an_insecure_setup(tmp_path):
    result = run_deploy_check(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W009" in result.stderr
