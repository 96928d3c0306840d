"""The real Kivy app under Xvfb: attract → home → idle countdown → attract; maintenance gesture and PIN; safe mode.

Each scenario runs in its own process (tests/ui/harness.py) and leaves screenshots in tests/_artifacts/ui/.
"""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_touch_leaves_attract_and_idle_timeout_returns(display, tmp_path):
    report = run_scenario("idle", display, tmp_path)
    assert report["screens"] == ["attract", "home", "attract"]
    assert report["session_after_touch"] == "active"
    assert report["countdown_seconds"] > 0
    assert report["session_after_timeout"] == "idle"
    assert report["startup_attempts_left"] == 0  # reaching the UI cleared the crash-loop counter
    for shot in ("attract", "home", "countdown"):
        assert (ARTIFACTS / f"idle-{shot}.png").stat().st_size > 5000


def test_hidden_gesture_and_pin_open_the_maintenance_menu(display, tmp_path):
    report = run_scenario("maintenance", display, tmp_path)
    assert report["wrong_pin_message"] == "密码不正确"
    assert report["screens"] == ["maintenance"]
    assert report["audit_actions"] == ["pin_wrong", "pin_accepted", "maintenance_opened"]
    assert report["config_text_has_origin"]
    assert "正常  打印机" in report["health_text"] and "正常  本机存储" in report["health_text"]
    assert report["fleet_text_is_off"]  # development runs without the bureau's server
    assert report["test_slip"] is True
    assert report["audit_after_test"][-2:] == ["printer_test", "reader_test"]
    assert report["reader_waiting"] and report["reader_text"] == "读卡正常：居民身份证"
    assert report["identity_after_test"] is None


def test_crash_loop_boots_into_safe_mode(display, tmp_path):
    report = run_scenario("safe_mode", display, tmp_path)
    assert report["safe_mode"] is True
    assert report["screens"] == ["maintenance_paused"]  # citizen screens are refused: 暂停服务
    assert report["banner"] == "安全模式：终端启动多次失败，仅开放维护菜单"


def test_a_consultation_from_topic_list_to_opinion_and_wipe(display, tmp_path):
    report = run_scenario("consult", display, tmp_path)
    assert report["outcome"] == "construction_chain"
    assert report["opinion_topic"] == "labor"
    assert report["opinion_number"].endswith("-0001")
    assert report["read_before_consent"] is False
    assert report["rating"] == [[4, "labor"]]
    assert report["printed_number"] and report["printed_qr"] == 1 and report["printed_cut"] == 1
    masked = report["masked_id"]
    assert len(masked) == 18 and masked[6:14] == "*" * 8
    assert report["wiped"] is True
    for shot in ("topics", "question1", "review", "opinion"):
        assert (ARTIFACTS / f"consult-{shot}.png").stat().st_size > 5000


def test_smart_consultation_offers_the_likely_topic_and_reports_only_its_id(display, tmp_path):
    report = run_scenario("smart", display, tmp_path)
    assert report["suggestions"] >= 3
    assert report["offered"][0] == "劳动争议与欠薪" and report["offered"][-1] == "都不是，找人工帮忙"
    assert report["suggestion_tap_worked"] is True  # the folded keyboard does not swallow taps
    # the second common question (被车撞了…) was routed and its first topic chosen
    assert report["chosen"] == ["traffic_accident"] and report["flow"] == "traffic_accident"
    assert report["identity_after_skip"] is False  # skipping the card reads nothing


def test_paper_out_offers_the_qr_then_reprints_after_reload(display, tmp_path):
    report = run_scenario("paper_out", display, tmp_path)
    assert report["message"] == "打印机没纸了，请找工作人员加纸；您也可以用手机扫码保存。"
    assert report["has_qr"] is True
    assert report["offer_message"] == "打印机已经修好了，可以再打印一次。"
    assert report["cuts"] == 1  # only the reprint was cut: the failed slip never finished


def test_pinyin_keyboard_types_a_question_that_triage_routes(display, tmp_path):
    report = run_scenario("ime", display, tmp_path)
    assert report["keyboard_before_tap"] is False  # common questions first; the keyboard when the box is tapped
    assert min(report["key_size_px"]) >= 60  # ≥ 15 mm on the 102 dpi panel
    assert report["composing"] == "lao ban tuo qian"
    assert report["first_candidates"][:2] == ["老板拖欠", "老板"]
    assert report["after_choice"] == ["老板", "tuoqian", ["拖欠"]]  # the rest of the pinyin stays
    assert report["qx"][0] == "欠薪"
    assert report["page_two"] is True
    assert report["after_letter_delete"] == "sh"
    assert report["after_text_delete"] == "老板拖欠工资，欠"
    assert report["typed"] == "老板拖欠工资，欠ok3"
    assert report["cleared"] == ""
    assert report["question"] == "老板拖欠工资"
    assert report["offered"][0] == "劳动争议与欠薪"
    assert report["left_letters"] == ""  # leaving the screen forgets the pinyin
    for shot in ("empty", "composing", "typed", "results"):
        assert (ARTIFACTS / f"ime-{shot}.png").stat().st_size > 5000


def test_legal_aid_pre_application_is_stored_sealed_and_printed(display, tmp_path):
    report = run_scenario("legal_aid_apply", display, tmp_path)
    assert report["verdict"] == "exempt" and report["apply_offered"] is True
    assert report["before_card"] == "还没有读身份证。您可以刷身份证，也可以手动输入姓名。"
    assert report["name_box_open"] is True  # 输入姓名 opens the box and the pinyin keyboard
    assert report["applicant_shows_masked"] is True and report["applicant_shows_full_number"] is False
    assert report["without_phone"] == "请输入正确的电话号码（手机是11位数字）。"
    assert report["phone"] == "13800138000"
    assert report["reference"].startswith("LA-") and report["reference"].endswith("-0001")
    assert report["rows_waiting"] == 1
    assert report["plaintext_in_db"] == []
    assert report["slip_has_reference"] and report["slip_has_masked_number"] and report["slip_has_signature_line"]
    assert report["slip_has_full_number"] is False
    assert report["opinion_untouched"] is True  # the opinion screen ignores the pre-application's slip
    assert report["forgotten_on_leave"] is True
    for shot in ("opinion", "apply_no_card", "apply_card_and_phone", "apply_done"):
        assert (ARTIFACTS / f"legal_aid_apply-{shot}.png").stat().st_size > 5000
