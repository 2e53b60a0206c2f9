"""The product in the console chat (`fitbot chat`), driven through standard input as a person would."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def chat(data_dir, script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=script,
        env={**os.environ, "FITBOT_DATA_DIR": str(data_dir), "FITBOT_BCRYPT_ROUNDS": "4"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def fitbot(data_dir, *args: str) -> None:
    env = {**os.environ, "FITBOT_DATA_DIR": str(data_dir)}
    subprocess.run([sys.executable, "-m", "bot", *args], env=env, check=True, capture_output=True, timeout=120)


def test_logging_goals_and_photos_in_the_console(database, data_dir):
    out = chat(
        data_dir,
        "/register console_lee console-lee@example.com long-enough-pw\n"
        "weight 190\n"
        "/goal weight 180 by mar 1\n"
        "weight 185\n"
        "!photo front\n"
        "/photos\n"
        "bench 3x5 @ 185\n"
        "1\n"  # the Undo button under the bench log
        "/today\n",
    )
    assert "Goal: Weight 180 lb" in out and "50%" in out
    assert "[photo:" not in out.split("!photo")[0]
    assert re.search(r"bot: .*[Ff]ront", out)  # the progress photo was saved and named
    assert "Undone" in out
    assert "185.0 lb" in out or "185 lb" in out


def test_a_coach_and_a_client_in_one_console(database, data_dir):
    registered = chat(data_dir, "/register console_kim console-kim@example.com long-enough-pw\n/logout\n")
    assert "Welcome, console_kim!" in registered
    fitbot(data_dir, "user", "promote", "console_kim", "coach")
    invite = chat(data_dir, "/login console_kim long-enough-pw\n/invite\n")
    code = re.search(r"/join ([A-Z2-9]{8})", invite)[1]
    out = chat(
        data_dir,
        "!as Sam\n"
        "/register console_sam2 console-sam2@example.com long-enough-pw\n"
        f"/join {code}\n"
        "1\n"  # Join
        "weight 181\n"
        "!as You\n"  # back to the coach (the console's first person)
        "/clients\n",
    )
    assert "(you are now Sam)" in out
    assert "(to You) bot:" in out  # the coach was told, in the coach's chat
    assert "console_sam2" in out.split("(you are now You)")[1]
    fitbot(data_dir, "user", "promote", "console_kim", "user")
