"""The commands a terminal's page offers: every button is a command the kiosk accepts, safe mode as two fixed
choices of which only the one that changes the terminal is shown, and replies an operator reads."""

import json

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.console.web import commands


@pytest.mark.parametrize("key", list(commands.OFFERED))
def test_every_button_sends_a_command_with_arguments_the_kiosk_accepts(key):
    offered = commands.OFFERED[key]
    sent = protocol.Command(id="c1", name=offered.name, args=dict(offered.args), issued=1, expires=2**40)
    protocol.command_args(sent, 2)


@pytest.mark.parametrize(("hw", "shown"), [({"safe_mode": False}, ["safe_mode_on"]),
                                           ({"safe_mode": True}, ["safe_mode_off"]),
                                           ({}, ["safe_mode_on", "safe_mode_off"])])
def test_of_safe_mode_only_the_switch_that_changes_the_terminal_is_offered(hw, shown):
    assert [key for key in commands.offered_to(hw) if key.startswith("safe_mode")] == shown
    assert "reboot" in commands.offered_to(hw)


def test_a_sent_command_is_named_by_its_button_and_audited_with_its_arguments():
    assert commands.label("safe_mode", json.dumps({"on": True})) == "进入安全模式"
    assert commands.label("safe_mode", json.dumps({"on": False})) == "退出安全模式"
    assert commands.label("reboot", "{}") == "重启终端"
    assert commands.label("upload_logs", json.dumps({"url": "https://x"})) == "upload_logs"
    assert commands.audit_detail(commands.OFFERED["safe_mode_on"], "c1") == 'safe_mode {"on": true} c1'
    assert commands.audit_detail(commands.OFFERED["ping"], "c2") == "ping c2"


def test_a_refusal_mid_session_and_a_safe_mode_switch_read_in_words():
    refused = commands.reply("safe_mode", 409, "{}", "a citizen session is in progress")
    assert refused == "终端正有群众在使用，没有执行，请稍后再发（a citizen session is in progress）"
    on = json.dumps({"safe_mode": True, "restarting": True})
    assert commands.reply("safe_mode", 200, on, None) == "终端正在重启，进入安全模式"
    already = json.dumps({"safe_mode": True, "restarting": False})
    assert commands.reply("safe_mode", 200, already, None) == "终端已经在安全模式，无需重启"
    assert commands.reply("printer_test", 200, '{"printed": true}', None) == '{"printed": true}'
    assert commands.reply("reader_test", 503, "{}", "idcard not fitted or not started") == (
        "idcard not fitted or not started")
    assert commands.reply("ping", None, None, None) == ""
