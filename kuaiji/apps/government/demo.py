"""The demo's service item catalog: sixty-odd items of sixteen city departments, with their
legal bases, time limits, fees, online levels and materials, and four "one thing" bundles
(a newborn's birth, opening a business, retirement, and buying a second-hand home).

Materials the platform can obtain from the demo's shared data resources are marked 免提交:
the parents' marriage registration (民政局, ``marriage-registration``) and household register
(公安局, ``household-register``) looked up by identity number, and an enterprise's business
licence (市场监管局, ``market-entities``) looked up by credit code; a material is only marked so
when its resource is in the catalog. The demo has no tax department (tax is a vertical
administration), so the business bundle leaves out invoice applications.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from kuaiji.apps.government.catalog import register_bundle, register_item
from kuaiji.apps.government.models import Bundle, ServiceItem
from kuaiji.apps.government.records import BundleRecord, ItemRecord
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.directory.models import Department

CITY = "330600"

# Materials by code: (name, English name, data resource, field looked up, lookup).
MATERIALS: dict[str, tuple[str, str, str, str, str]] = {
    "applicant-id": ("申请人居民身份证", "Applicant's identity card", "", "", ""),
    "parents-id": ("父母双方居民身份证", "Both parents' identity cards", "", "", ""),
    "marriage-certificate": ("父母结婚证", "Parents' marriage certificate",
                             "marriage-registration", "id_number", "id_number"),
    "household-register": ("户口簿", "Household register booklet",
                           "household-register", "id_number", "id_number"),
    "delivery-record": ("医疗机构分娩记录", "Hospital delivery record", "", "", ""),
    "birth-medical-certificate": ("出生医学证明", "Medical birth certificate", "", "", ""),
    "photo": ("近期免冠证件照片", "Recent passport photo", "", "", ""),
    "application-form": ("申请表", "Application form", "", "", ""),
    "articles": ("公司章程", "Articles of association", "", "", ""),
    "legal-rep-id": ("法定代表人身份证明", "Legal representative's identity card", "", "", ""),
    "premises-proof": ("住所（经营场所）使用证明", "Proof of the right to use the premises",
                       "", "", ""),
    "business-licence": ("营业执照", "Business licence", "market-entities", "credit_code",
                         "credit_code"),
    "seal-design": ("印章印模", "Seal impression design", "", "", ""),
    "bank-account": ("银行账户信息", "Bank account details", "", "", ""),
    "personnel-file": ("本人档案及工作经历证明", "Personnel file and work history", "", "", ""),
    "property-certificate": ("不动产权证书", "Real estate title certificate", "", "", ""),
    "sale-contract": ("存量房买卖合同", "Second-hand housing sale contract", "", "", ""),
    "tax-receipt": ("契税完税凭证", "Deed tax payment receipt", "", "", ""),
    "site-plan": ("建设工程设计方案", "Construction design plan", "", "", ""),
    "land-certificate": ("土地使用权证明", "Land use right certificate", "", "", ""),
    "qualification-proof": ("资格（资质）证明材料", "Proof of qualification", "", "", ""),
    "health-proof": ("健康证明", "Health certificate", "", "", ""),
    "residence-proof": ("居住证明", "Proof of residence", "", "", ""),
    "vehicle-documents": ("机动车登记证书及行驶证", "Vehicle registration papers", "", "", ""),
    "disability-assessment": ("残疾评定材料", "Disability assessment", "", "", ""),
    "income-proof": ("家庭收入及财产情况说明", "Household income and assets statement",
                     "", "", ""),
    "discharge-certificate": ("退役证件", "Discharge certificate", "", "", ""),
    "school-record": ("学籍证明", "School enrolment record", "", "", ""),
    "environment-report": ("环境影响报告表", "Environmental impact report form", "", "", ""),
    "safety-plan": ("安全生产条件说明", "Statement of safe production conditions", "", "", ""),
    "food-premises": ("食品经营场所及设备布局图", "Plan of the food premises and equipment",
                      "", "", ""),
    "death-certificate": ("死亡医学证明", "Medical death certificate", "", "", ""),
}  # fmt: skip

LAWS = {
    "MYBJ": "《中华人民共和国母婴保健法》第二十三条；《中华人民共和国母婴保健法实施办法》",
    "HKDJ": "《中华人民共和国户口登记条例》第七条",
    "SBF": "《中华人民共和国社会保险法》",
    "YBTL": "《中华人民共和国社会保险法》第二十三条、第二十五条；《医疗保障基金使用监督管理条例》",
    "SBK": "《中华人民共和国社会保险法》第五十八条；《社会保障卡管理办法》",
    "GSF": "《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》第三条",
    "YZ": "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）第37项；"
    "《浙江省印章刻制业治安管理办法》",
    "BDC": "《不动产登记暂行条例》；《不动产登记暂行条例实施细则》",
    "FDC": "《中华人民共和国城市房地产管理法》；《城市房地产转让管理规定》；"
    "《浙江省城市房地产交易管理条例》",
    "HY": "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》",
    "YL": "《中华人民共和国社会保险法》第十六条；《国务院关于完善企业职工基本养老保险制度的决定》",
    "JY": "《中华人民共和国就业促进法》；《失业保险条例》",
    "JYF": "《中华人民共和国义务教育法》；《中华人民共和国教师法》；《教师资格条例》",
    "SP": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
    "YP": "《中华人民共和国药品管理法》；《医疗机构管理条例》",
    "HP": "《中华人民共和国环境影响评价法》；《建设项目环境保护管理条例》",
    "CX": "《中华人民共和国城乡规划法》第四十条；《浙江省城乡规划条例》",
    "JZ": "《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》",
    "DL": "《中华人民共和国道路运输条例》；《中华人民共和国公路法》",
    "MZ": "《最低生活保障审核确认办法》；《社会救助暂行办法》；《浙江省社会救助条例》",
    "CJ": "《残疾人保障法》；《中华人民共和国残疾人证管理办法》",
    "TY": "《退役军人保障法》；《军人抚恤优待条例》",
    "FL": "《中华人民共和国法律援助法》；《浙江省法律援助条例》",
    "LY": "《旅行社条例》；《娱乐场所管理条例》；《营业性演出管理条例》",
    "NY": "《中华人民共和国农村土地承包法》；《中华人民共和国动物防疫法》",
    "YJ": "《中华人民共和国安全生产法》；《危险化学品安全管理条例》",
    "CZ": "《财政票据管理办法》（财政部令第70号）",
    "CRJ": "《中华人民共和国出境入境管理法》；《居住证暂行条例》",
    "JD": "《中华人民共和国道路交通安全法》；《机动车登记规定》",
    "BZ": "《殡葬管理条例》；《浙江省殡葬管理条例》",
    "LNR": "《中华人民共和国老年人权益保障法》；"
    "《浙江省实施〈中华人民共和国老年人权益保障法〉办法》",
}  # fmt: skip

FEES = {
    "BDC": (Decimal("80"), "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》"
            "（发改价格规〔2016〕2559号）：住宅类每件80元"),
    "JD": (Decimal("10"), "《浙江省物价局 浙江省财政厅关于机动车号牌工本费的通知》"),
}  # fmt: skip

# (code suffix, department, name, English name, kind, for, law, statutory days, promised days,
#  online level, one visit, result, materials)
Entry = tuple[str, str, str, str, str, str, str, int, int, int, bool, str, tuple[str, ...]]
ITEMS: tuple[Entry, ...] = (
    # 卫生健康委员会
    ("WJW-001", "WJW", "出生医学证明签发", "Issue of the medical birth certificate",
     "public_service", "citizen", "MYBJ", 5, 1, 4, True, "出生医学证明",
     ("parents-id", "marriage-certificate", "delivery-record")),
    ("WJW-002", "WJW", "医师执业注册", "Registration of a practising physician",
     "licence", "citizen", "YP", 20, 5, 4, True, "医师执业证书",
     ("applicant-id", "qualification-proof", "health-proof", "photo")),
    ("WJW-003", "WJW", "护士执业注册", "Registration of a practising nurse",
     "licence", "citizen", "YP", 20, 5, 4, True, "护士执业证书",
     ("applicant-id", "qualification-proof", "health-proof")),
    ("WJW-004", "WJW", "医疗机构执业登记", "Practice registration of a medical institution",
     "licence", "enterprise", "YP", 45, 15, 3, True, "医疗机构执业许可证",
     ("application-form", "business-licence", "premises-proof", "qualification-proof")),
    ("WJW-005", "WJW", "公共场所卫生许可", "Hygiene licence for a public place",
     "licence", "enterprise", "YP", 20, 5, 4, True, "公共场所卫生许可证",
     ("application-form", "business-licence", "premises-proof")),
    # 公安局
    ("GAJ-001", "GAJ", "出生登记（新生儿户口登记）", "Birth registration of a newborn",
     "confirmation", "citizen", "HKDJ", 5, 1, 4, True, "户口簿（新生儿页）",
     ("birth-medical-certificate", "parents-id", "marriage-certificate", "household-register")),
    ("GAJ-002", "GAJ", "公章刻制备案", "Filing of official seal engraving",
     "other", "enterprise", "YZ", 1, 1, 4, True, "印章备案信息",
     ("business-licence", "legal-rep-id", "seal-design")),
    ("GAJ-003", "GAJ", "居民身份证换领", "Renewal of the resident identity card",
     "public_service", "citizen", "HKDJ", 60, 20, 3, True, "居民身份证",
     ("applicant-id", "household-register", "photo")),
    ("GAJ-004", "GAJ", "居住证申领", "Application for a residence permit",
     "public_service", "citizen", "CRJ", 15, 7, 4, True, "浙江省居住证",
     ("applicant-id", "residence-proof", "photo")),
    ("GAJ-005", "GAJ", "死亡注销户口", "Cancellation of household registration after death",
     "confirmation", "citizen", "HKDJ", 5, 1, 3, True, "户口注销证明",
     ("death-certificate", "household-register")),
    ("GAJ-006", "GAJ", "机动车注册登记", "Registration of a motor vehicle",
     "registration", "both", "JD", 2, 1, 3, True, "机动车登记证书、号牌、行驶证",
     ("applicant-id", "vehicle-documents")),
    ("GAJ-007", "GAJ", "户口迁移（市内）", "Moving household registration within the city",
     "confirmation", "citizen", "HKDJ", 10, 3, 4, True, "户口簿",
     ("applicant-id", "household-register", "residence-proof")),
    # 医疗保障局
    ("YBJ-001", "YBJ", "城乡居民基本医疗保险参保登记",
     "Enrolment in the basic medical insurance for residents",
     "public_service", "citizen", "YBTL", 5, 1, 4, True, "参保登记信息",
     ("parents-id", "household-register", "birth-medical-certificate")),
    ("YBJ-002", "YBJ", "单位职工基本医疗保险参保登记",
     "Employer's enrolment in employees' medical insurance",
     "public_service", "enterprise", "YBTL", 5, 1, 4, True, "单位参保登记信息",
     ("business-licence", "bank-account")),
    ("YBJ-003", "YBJ", "退休人员医保待遇核定",
     "Medical insurance benefits on retirement", "confirmation", "citizen", "YBTL", 15, 5, 4,
     True, "医保退休待遇核定结果", ("applicant-id", "household-register")),
    ("YBJ-004", "YBJ", "异地就医备案", "Filing for medical treatment in another place",
     "public_service", "citizen", "YBTL", 5, 0, 4, True, "异地就医备案凭证",
     ("applicant-id", "residence-proof")),
    ("YBJ-005", "YBJ", "门诊慢特病待遇认定", "Recognition of chronic disease outpatient benefits",
     "confirmation", "citizen", "YBTL", 20, 10, 3, True, "慢特病待遇认定结果",
     ("applicant-id", "qualification-proof")),
    # 人力资源和社会保障局
    ("RSJ-001", "RSJ", "社会保障卡申领", "Application for a social security card",
     "public_service", "citizen", "SBK", 20, 5, 4, True, "社会保障卡",
     ("parents-id", "household-register", "photo")),
    ("RSJ-002", "RSJ", "单位社会保险登记", "Employer's social insurance registration",
     "registration", "enterprise", "SBF", 15, 1, 4, True, "社会保险登记信息",
     ("business-licence", "legal-rep-id", "bank-account")),
    ("RSJ-003", "RSJ", "职工基本养老保险待遇申领", "Claim of the basic old-age pension",
     "payment", "citizen", "YL", 20, 5, 4, True, "养老保险待遇核定表",
     ("applicant-id", "household-register", "personnel-file", "bank-account")),
    ("RSJ-004", "RSJ", "退休人员社会化管理服务登记",
     "Registration for community services of retirees",
     "public_service", "citizen", "YL", 10, 3, 4, True, "社会化管理服务登记信息",
     ("applicant-id", "household-register")),
    ("RSJ-005", "RSJ", "失业保险金申领", "Claim of unemployment insurance benefits",
     "payment", "citizen", "JY", 10, 3, 4, True, "失业保险金核定结果",
     ("applicant-id", "bank-account")),
    ("RSJ-006", "RSJ", "就业创业证申领", "Application for the employment and enterprise card",
     "public_service", "citizen", "JY", 10, 1, 4, True, "就业创业证", ("applicant-id", "photo")),
    ("RSJ-007", "RSJ", "职业技能等级证书查询与补发",
     "Reissue of a vocational skill certificate",
     "public_service", "citizen", "JY", 20, 5, 4, True, "职业技能等级证书",
     ("applicant-id", "qualification-proof")),
    # 市场监督管理局
    ("SCJ-001", "SCJ", "企业设立登记", "Registration of a new enterprise",
     "licence", "enterprise", "GSF", 15, 1, 4, True, "营业执照",
     ("application-form", "articles", "legal-rep-id", "premises-proof")),
    ("SCJ-002", "SCJ", "企业银行开户预约", "Appointment to open the enterprise's bank account",
     "public_service", "enterprise", "GSF", 3, 1, 4, True, "银行开户预约回执",
     ("business-licence", "legal-rep-id")),
    ("SCJ-003", "SCJ", "个体工商户登记", "Registration of an individual business",
     "licence", "citizen", "GSF", 15, 1, 4, True, "营业执照",
     ("applicant-id", "premises-proof")),
    ("SCJ-004", "SCJ", "食品经营许可", "Food business licence",
     "licence", "enterprise", "SP", 20, 5, 4, True, "食品经营许可证",
     ("application-form", "business-licence", "food-premises")),
    ("SCJ-005", "SCJ", "企业变更登记", "Registration of changes of an enterprise",
     "licence", "enterprise", "GSF", 15, 1, 4, True, "营业执照",
     ("application-form", "business-licence", "legal-rep-id")),
    ("SCJ-006", "SCJ", "企业注销登记", "Deregistration of an enterprise",
     "licence", "enterprise", "GSF", 15, 3, 4, True, "准予注销登记通知书",
     ("application-form", "business-licence")),
    ("SCJ-007", "SCJ", "特种设备使用登记", "Registration of the use of special equipment",
     "licence", "enterprise", "YJ", 15, 5, 3, True, "特种设备使用登记证",
     ("business-licence", "qualification-proof")),
    # 民政局
    ("MZJ-001", "MZJ", "内地居民结婚登记", "Marriage registration of mainland residents",
     "confirmation", "citizen", "HY", 1, 1, 2, False, "结婚证",
     ("applicant-id", "household-register", "photo")),
    ("MZJ-002", "MZJ", "最低生活保障审核确认", "Approval of the minimum living allowance",
     "payment", "citizen", "MZ", 30, 15, 3, True, "低保审核确认结果",
     ("applicant-id", "household-register", "income-proof")),
    ("MZJ-003", "MZJ", "老年人优待证办理", "Issue of the senior citizen's preferential card",
     "public_service", "citizen", "LNR", 10, 3, 4, True, "老年人优待证",
     ("applicant-id", "photo")),
    ("MZJ-004", "MZJ", "惠民殡葬补助", "Funeral subsidy", "payment", "citizen", "BZ", 20, 5, 3,
     True, "殡葬补助发放", ("death-certificate", "applicant-id", "bank-account")),
    ("MZJ-005", "MZJ", "社会团体成立登记", "Registration of a social organisation",
     "licence", "both", "MZ", 60, 20, 3, True, "社会团体法人登记证书",
     ("application-form", "articles", "legal-rep-id", "premises-proof")),
    ("MZJ-006", "MZJ", "困难残疾人生活补贴", "Living allowance for disabled people in need",
     "payment", "citizen", "CJ", 20, 10, 3, True, "补贴发放",
     ("applicant-id", "disability-assessment", "income-proof")),
    # 自然资源和规划局
    ("ZRZY-001", "ZRZY", "国有建设用地使用权及房屋所有权转移登记",
     "Transfer registration of land use rights and house ownership",
     "registration", "both", "BDC", 30, 1, 3, True, "不动产权证书",
     ("applicant-id", "property-certificate", "sale-contract", "tax-receipt",
      "marriage-certificate")),
    ("ZRZY-002", "ZRZY", "不动产抵押登记", "Mortgage registration of real estate",
     "registration", "both", "BDC", 30, 1, 4, True, "不动产登记证明",
     ("applicant-id", "property-certificate", "sale-contract")),
    ("ZRZY-003", "ZRZY", "建设工程规划许可", "Construction project planning permit",
     "licence", "enterprise", "CX", 20, 7, 3, True, "建设工程规划许可证",
     ("application-form", "business-licence", "land-certificate", "site-plan")),
    ("ZRZY-004", "ZRZY", "不动产登记资料查询", "Search of real estate registration records",
     "public_service", "both", "BDC", 1, 0, 4, True, "查询结果", ("applicant-id",)),
    ("ZRZY-005", "ZRZY", "建设用地规划许可", "Planning permit for construction land",
     "licence", "enterprise", "CX", 20, 7, 3, True, "建设用地规划许可证",
     ("application-form", "business-licence", "land-certificate")),
    # 住房和城乡建设局
    ("ZJJ-001", "ZJJ", "存量房买卖合同网签备案",
     "Online filing of a second-hand housing sale contract",
     "other", "both", "FDC", 5, 1, 4, True, "合同备案证明",
     ("applicant-id", "property-certificate", "sale-contract")),
    ("ZJJ-002", "ZJJ", "存量房交易资金监管", "Escrow of second-hand housing payments",
     "public_service", "both", "FDC", 3, 1, 4, True, "资金监管协议",
     ("applicant-id", "sale-contract", "bank-account")),
    ("ZJJ-003", "ZJJ", "建筑工程施工许可", "Construction work permit",
     "licence", "enterprise", "JZ", 7, 3, 4, True, "建筑工程施工许可证",
     ("application-form", "business-licence", "site-plan", "safety-plan")),
    ("ZJJ-004", "ZJJ", "公共租赁住房资格申请", "Application for public rental housing",
     "confirmation", "citizen", "FDC", 30, 15, 3, True, "公租房资格确认",
     ("applicant-id", "household-register", "income-proof")),
    # 教育局
    ("JYJ-001", "JYJ", "义务教育阶段入学登记", "Enrolment in compulsory education",
     "public_service", "citizen", "JYF", 30, 10, 4, True, "入学通知",
     ("parents-id", "household-register", "residence-proof")),
    ("JYJ-002", "JYJ", "教师资格认定", "Recognition of teacher qualification",
     "licence", "citizen", "JYF", 60, 20, 3, True, "教师资格证书",
     ("applicant-id", "qualification-proof", "health-proof", "photo")),
    ("JYJ-003", "JYJ", "民办学校办学许可", "Licence to run a private school",
     "licence", "enterprise", "JYF", 90, 30, 2, False, "民办学校办学许可证",
     ("application-form", "articles", "premises-proof", "qualification-proof")),
    ("JYJ-004", "JYJ", "学籍转接", "Transfer of school enrolment", "public_service", "citizen",
     "JYF", 15, 5, 4, True, "转学联系单", ("parents-id", "school-record")),
    # 退役军人事务局
    ("TYJR-001", "TYJR", "退役士兵安置", "Placement of discharged soldiers",
     "confirmation", "citizen", "TY", 30, 20, 2, False, "安置通知书",
     ("discharge-certificate", "applicant-id", "household-register")),
    ("TYJR-002", "TYJR", "优待证申领", "Application for the veterans' preferential card",
     "public_service", "citizen", "TY", 20, 10, 4, True, "退役军人优待证",
     ("discharge-certificate", "applicant-id", "photo")),
    # 交通运输局
    ("JTJ-001", "JTJ", "道路货物运输经营许可", "Licence for road freight transport",
     "licence", "enterprise", "DL", 20, 5, 4, True, "道路运输经营许可证",
     ("application-form", "business-licence", "vehicle-documents", "safety-plan")),
    ("JTJ-002", "JTJ", "出租汽车驾驶员从业资格注册",
     "Registration of a taxi driver's qualification", "licence", "citizen", "DL", 20, 5, 4,
     True, "从业资格证", ("applicant-id", "qualification-proof")),
    # 生态环境局
    ("STHJ-001", "STHJ", "建设项目环境影响报告表审批",
     "Approval of a project's environmental impact report form",
     "licence", "enterprise", "HP", 30, 10, 3, True, "环评批复",
     ("application-form", "business-licence", "environment-report")),
    ("STHJ-002", "STHJ", "排污许可证核发", "Issue of a pollutant discharge permit",
     "licence", "enterprise", "HP", 20, 10, 4, True, "排污许可证",
     ("application-form", "business-licence", "environment-report")),
    # 司法局
    ("SFJ-001", "SFJ", "法律援助申请", "Application for legal aid",
     "public_service", "citizen", "FL", 7, 3, 4, True, "给予法律援助决定书",
     ("applicant-id", "income-proof")),
    ("SFJ-002", "SFJ", "公证员执业审核", "Review of a notary's practice",
     "other", "citizen", "FL", 20, 10, 3, True, "公证员执业证",
     ("applicant-id", "qualification-proof")),
    # 文化广电旅游局
    ("WGL-001", "WGL", "旅行社设立许可", "Licence to set up a travel agency",
     "licence", "enterprise", "LY", 20, 5, 4, True, "旅行社业务经营许可证",
     ("application-form", "business-licence", "premises-proof")),
    ("WGL-002", "WGL", "营业性演出审批", "Approval of a commercial performance",
     "licence", "enterprise", "LY", 20, 3, 4, True, "营业性演出准予许可决定",
     ("application-form", "business-licence")),
    # 农业农村局
    ("NYNC-001", "NYNC", "农村宅基地审批", "Approval of a rural homestead",
     "licence", "citizen", "NY", 20, 10, 2, False, "农村宅基地批准书",
     ("applicant-id", "household-register", "site-plan")),
    ("NYNC-002", "NYNC", "动物防疫条件合格证核发",
     "Certificate of animal epidemic prevention conditions",
     "licence", "enterprise", "NY", 20, 10, 3, True, "动物防疫条件合格证",
     ("application-form", "business-licence", "premises-proof")),
    # 应急管理局
    ("YJJ-001", "YJJ", "危险化学品经营许可", "Licence to trade hazardous chemicals",
     "licence", "enterprise", "YJ", 30, 10, 3, True, "危险化学品经营许可证",
     ("application-form", "business-licence", "safety-plan", "qualification-proof")),
    # 财政局
    ("CZJ-001", "CZJ", "财政票据领购", "Purchase of fiscal receipts",
     "public_service", "enterprise", "CZ", 5, 1, 4, True, "财政票据",
     ("business-licence", "application-form")),
)  # fmt: skip

# Guides: who may apply and how, per item kind (the item's name is prefixed).
CONDITIONS = {
    "licence": "申请人具备法律法规规定的资格条件，申请材料齐全、符合法定形式。",
    "payment": "符合法定给付条件的本市户籍或参保人员，本人或委托代理人申请。",
    "confirmation": "当事人本人或其法定代理人提出申请，事实清楚、材料齐全。",
    "registration": "依法应当办理登记的当事人，申请材料齐全、符合法定形式。",
    "public_service": "本人或其监护人、委托代理人均可申请。",
    "other": "符合相关规定的申请人。",
}
GUIDE = (
    "{name}可通过本平台在线申请，也可到市民中心{department}窗口办理。"
    "网上申请后，工作人员在一个工作日内完成预审；材料齐全、符合法定形式的予以受理，"
    "需补正的一次性告知。标注“免提交”的材料由平台从共享数据获取，无需另行提供。"
    "办理结果可选择邮寄送达或窗口领取，电子证照同步归集至个人（企业）证照库。"
)

FORM_NEWBORN = (
    ("baby_name", "新生儿姓名", "Baby's name", "text"),
    ("baby_sex", "新生儿性别", "Baby's sex", "choice", ("男", "女")),
    ("birth_date", "出生日期", "Date of birth", "date"),
    ("hospital", "出生医院", "Hospital of birth", "text"),
    ("father_id_number", "父亲身份证号", "Father's identity number", "id_number"),
    ("mother_id_number", "母亲身份证号", "Mother's identity number", "id_number"),
    ("phone", "联系电话", "Phone", "phone"),
)
FORM_BUSINESS = (
    ("company_name", "企业名称", "Company name", "text"),
    ("registered_capital", "注册资本（万元）", "Registered capital (10,000 yuan)", "number"),
    ("legal_representative", "法定代表人", "Legal representative", "text"),
    ("legal_rep_id_number", "法定代表人身份证号", "Legal representative's identity number",
     "id_number"),
    ("address", "住所", "Registered address", "text"),
    ("business_scope", "经营范围", "Business scope", "textarea"),
    ("bank", "开户银行", "Bank for the account", "text"),
    ("phone", "联系电话", "Phone", "phone"),
)  # fmt: skip
FORM_RETIREMENT = (
    ("id_number", "身份证号", "Identity number", "id_number"),
    ("employer", "原工作单位", "Last employer", "text"),
    ("retirement_date", "退休日期", "Retirement date", "date"),
    ("bank_card", "养老金发放银行卡号", "Bank card for the pension", "text"),
    ("address", "居住地址", "Home address", "text"),
    ("phone", "联系电话", "Phone", "phone"),
)
FORM_PROPERTY = (
    ("seller_id_number", "卖方身份证号", "Seller's identity number", "id_number"),
    ("buyer_id_number", "买方身份证号", "Buyer's identity number", "id_number"),
    ("certificate_no", "不动产权证号", "Title certificate number", "text"),
    ("address", "房屋坐落", "Location of the home", "text"),
    ("price", "成交价格（元）", "Price (yuan)", "number"),
    ("area", "建筑面积（平方米）", "Floor area (m²)", "number"),
    ("phone", "联系电话", "Phone", "phone"),
)

# (code, name, English name, description, English description, for, items, form)
BUNDLES: tuple[tuple[str, str, str, str, str, str, tuple[str, ...], tuple[Any, ...]], ...] = (
    ("newborn", "新生儿出生一件事", "A newborn's birth",
     "宝宝出生后，一次申请同时办理出生医学证明、户口登记、医保参保登记和社会保障卡，"
     "父母的结婚证和户口簿由平台从共享数据获取，无需提交。",
     "After a baby is born, apply once for the medical birth certificate, household "
     "registration, medical insurance enrolment and the social security card; the parents' "
     "marriage certificate and household register are obtained from shared data.",
     "citizen", ("WJW-001", "GAJ-001", "YBJ-001", "RSJ-001"), FORM_NEWBORN),
    ("business-opening", "企业开办一件事", "Opening a business",
     "一次申请办结企业设立登记、公章刻制备案、单位社保和医保登记及银行开户预约，"
     "一日办结、全程零费用。",
     "Register the company, file the seal engraving, register for social and medical "
     "insurance and book the bank account in one application, within a day and free of charge.",
     "enterprise", ("SCJ-001", "GAJ-002", "RSJ-002", "YBJ-002", "SCJ-002"), FORM_BUSINESS),
    ("retirement", "退休一件事", "Retirement",
     "到达法定退休年龄，一次申请办理养老保险待遇申领、医保退休待遇核定、"
     "退休人员社会化管理服务登记和老年人优待证。",
     "On reaching the statutory retirement age, apply once for the pension, the medical "
     "insurance benefits of retirees, community services registration and the senior card.",
     "citizen", ("RSJ-003", "YBJ-003", "RSJ-004", "MZJ-003"), FORM_RETIREMENT),
    ("property-transfer", "不动产交易登记一件事", "Buying a second-hand home",
     "存量房交易一次申请，合同网签备案、资金监管和转移登记并联办理。",
     "Buying a second-hand home: contract filing, payment escrow and the transfer "
     "registration handled together from one application.",
     "both", ("ZJJ-001", "ZJJ-002", "ZRZY-001"), FORM_PROPERTY),
)  # fmt: skip


def _material(code: str, shared: set[str]) -> dict[str, Any]:
    name, name_en, resource, lookup_field, lookup = MATERIALS[code]
    if resource not in shared:
        resource = lookup_field = lookup = ""
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "data_resource": resource,
        "lookup_field": lookup_field,
        "lookup": lookup,
    }


def item_record(entry: Entry, department_name: str, shared: set[str]) -> ItemRecord:
    """The record of one demo item; materials only come from resources in `shared`."""
    suffix, key, name, name_en, kind, applicants, law, statutory, promised = entry[:9]
    online, one_visit, result, materials = entry[9:]
    fee, fee_basis = FEES.get(law, (Decimal("0"), ""))
    return ItemRecord(
        code=f"{CITY}-{suffix}",
        name=name,
        name_en=name_en,
        department_code=f"{CITY}-{key}",
        kind=kind,
        applicants=applicants,
        legal_basis=LAWS[law],
        conditions=CONDITIONS[kind],
        statutory_days=statutory,
        promised_days=promised,
        fee=fee,
        fee_basis=fee_basis,
        online_level=online,
        one_visit=one_visit,
        guide=GUIDE.format(name=name, department=department_name),
        result_name=result,
        materials=[_material(code, shared) for code in materials],
    )


def bundle_record(entry: tuple[Any, ...]) -> BundleRecord:
    code, name, name_en, description, description_en, applicants, items, form = entry
    return BundleRecord(
        code=code,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        applicants=applicants,
        items=[f"{CITY}-{suffix}" for suffix in items],
        form=[
            {
                "name": field[0],
                "label": field[1],
                "label_en": field[2],
                "type": field[3],
                "choices": list(field[4]) if len(field) > 4 else [],
            }
            for field in form
        ],
    )


@transaction.atomic
def load_catalog(size: DemoSize) -> str:
    """Describe the demo items of the departments the demo city has, then the bundles whose
    items all exist (once: items and bundles already there are left as they are)."""
    departments = dict(
        Department.objects.filter(code__startswith=f"{CITY}-").values_list("code", "name")
    )
    shared = set(DataResource.objects.values_list("code", flat=True))
    known = set(ServiceItem.objects.values_list("code", flat=True))
    items = 0
    for entry in ITEMS:
        department = departments.get(f"{CITY}-{entry[1]}")
        if department is None or f"{CITY}-{entry[0]}" in known:
            continue
        register_item(actor=SYSTEM, item=item_record(entry, department, shared))
        items += 1
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    bundles = 0
    for bundle in BUNDLES:
        record = bundle_record(bundle)
        if Bundle.objects.filter(code=record.code).exists() or not set(record.items) <= existing:
            continue
        register_bundle(actor=SYSTEM, bundle=record)
        bundles += 1
    if not items and not bundles:
        return "0 created, catalog unchanged"
    return f"{items} items, {bundles} bundles created"


STEPS = [DemoStep("service item catalog", load_catalog)]
