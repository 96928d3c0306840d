"""Example opinions, so slips can be rendered and checked without a citizen or a printer.

Why: `kiosk opinion render --example FLOW_ID` must produce the same bytes anywhere. Every flow's example is the
opinion of its first stored example answer set, signed with the example key. One more, `specimen`, is made by
hand to exercise what a printer must cope with: a masked ID number and a rare character that GBK cannot
encode. The provisions are quoted from the statutes in force; nothing here is personal data.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.config.schema import KioskConfig
from kiosk.legal.answers import chinese_date
from kiosk.legal.document import (Deadline, Fact, LegalAidResult, LegalAidVerdict, OpinionDocument,
                                    Provision, WayForward, WayKind)
from kiosk.legal.engine import packaged_texts
from kiosk.legal.loader import load_opinion_wording
from kiosk.legal.service import DEFAULT_CONTENT_ROOT, EXAMPLE_KEY, example_document, issuer_for

VERIFY_BASE_URL = "https://gf.example.cn/v/"
"""Where the specimen's QR code points when the kiosk has no verification URL configured; example domain."""


def _verification_code(number: str) -> str:
    """A stable 8-character code derived from the number, so the example renders identically every time."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    digest = hashlib.sha256(number.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:8])


def _specimen(kiosk_id: str, issued_at: datetime, verify_url_base: str) -> OpinionDocument:
    number = f"{kiosk_id}-{issued_at:%Y%m%d}-0001"
    code = _verification_code(number)
    left_job = issued_at.date() - timedelta(days=45)
    issuer = issuer_for(KioskConfig(), EXAMPLE_KEY)
    return OpinionDocument(
        number=number, issued_at=issued_at, kiosk_id=kiosk_id,
        service_name=issuer.service_name, site_name=issuer.site_name,
        topic_id="labor", topic_title="劳动争议与欠薪", outcome_id="unpaid_wages_after_leaving",
        title="法律意见书",
        facts=(
            Fact("您和用人单位是什么关系？", "在建筑工地做工，没有签书面劳动合同"),
            Fact("拖欠了多少工资？", "三个月工资，共计18600元"),
            Fact("现在还在那里工作吗？", f"已于{chinese_date(left_job)}离开"),
            Fact("是谁招您去干活的？", "包工头䶮某"),
        ),
        provisions=(
            Provision("中华人民共和国劳动合同法", 30, date(2013, 7, 1),
                      "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。"
                      "用人单位拖欠或者未足额支付劳动报酬的，劳动者可以依法向当地人民法院申请支付令，"
                      "人民法院应当依法发出支付令。"),
            Provision("中华人民共和国劳动争议调解仲裁法", 27, date(2008, 5, 1),
                      "劳动争议申请仲裁的时效期间为一年。仲裁时效期间从当事人知道或者应当知道其权利被侵害之日起计算。"
                      "……劳动关系存续期间因拖欠劳动报酬发生争议的，劳动者申请仲裁不受本条第一款规定的仲裁时效期间的限制；"
                      "但是，劳动关系终止的，应当自劳动关系终止之日起一年内提出。"),
        ),
        analysis=(
            "没有签书面劳动合同，不影响您要回工资。工资条、考勤记录、工友证言、微信聊天记录、转账记录等都可以证明您在那里干过活、"
            "应得多少工资。",
            "您已经离开工地，要求支付拖欠工资的仲裁申请，应当在离开之日起一年内提出。",
        ),
        risks=(
            "请尽快收集并保存证据，不要删除与包工头、项目负责人的聊天记录。",
            "超过一年才申请仲裁，可能得不到支持。",
        ),
        ways_forward=(
            WayForward(WayKind.NEGOTIATION, "与包工头或施工单位协商", "可请工友一同前往，协商结果要写成书面材料"),
            WayForward(WayKind.COMPLAINT, "向当地人力资源社会保障部门（劳动保障监察）投诉",
                       "施工总承包单位对农民工工资负有清偿责任"),
            WayForward(WayKind.ARBITRATION, "向劳动人事争议仲裁委员会申请仲裁", "仲裁不收费"),
            WayForward(WayKind.LITIGATION, "对仲裁裁决不服的，可以向人民法院起诉"),
        ),
        deadlines=(
            Deadline("申请劳动仲裁", date(left_job.year + 1, left_job.month, left_job.day),
                     "劳动关系终止之日起一年"),
        ),
        materials=("身份证", "能证明在工地干活的材料（工牌、考勤、照片、工友证言）", "欠薪金额的记录或欠条"),
        where_to_go=("县劳动人事争议仲裁委员会", *issuer.centre_lines(packaged_texts())),
        legal_aid=LegalAidResult(LegalAidVerdict.EXEMPT_FROM_MEANS_TEST,
                                 "请求支付劳动报酬的进城务工人员申请法律援助，免予核查经济困难状况。",
                                 "migrant_worker"),
        verification_code=code, verify_url=f"{verify_url_base or VERIFY_BASE_URL}{code}",
        content_version="example-1", disclaimer=load_opinion_wording(DEFAULT_CONTENT_ROOT).disclaimer,
        masked_id_number="440106********0012",
    )


SPECIMENS = {"specimen": _specimen}
"""Hand-made documents by name (not flows)."""


def build_example_opinion(flow_id: str, *, kiosk_id: str, issued_at: datetime, verify_url_base: str = "",
                          params: dict[str, Any] | None = None) -> OpinionDocument:
    """The example opinion of a flow (or the `specimen`) with a kiosk's verification URL and rule parameters;
    KioskError CNT-002 for an unknown flow."""
    if flow_id in SPECIMENS:
        return SPECIMENS[flow_id](kiosk_id, issued_at, verify_url_base)
    return example_document(flow_id, kiosk_id=kiosk_id, issued_at=issued_at, params=params,
                            verify_url_base=verify_url_base)
