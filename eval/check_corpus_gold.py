#!/usr/bin/env python3
"""Validate the corpus evaluation data (stdlib only).

Checks eval/corpus_qa.jsonl and eval/timeline_national.jsonl against the real
report corpus (one <doc_id>.txt per report, see shared/corpus/README.md):
  * every line is a JSON object with the expected keys and value types;
  * corpus_qa ids look like c001 (fc001 for the fresh half) and are unique; type, intent and split take
    one of the allowed values;
  * "type" agrees with the gold list
    (single: exactly 1 entry, multi: >= 2 entries with distinct doc_ids,
     unanswerable: gold == [] and a note saying which kind:
     no_year / no_place / no_figure);
  * every doc_id names a corpus file (<corpus>/<doc_id>.txt), and none is the
    copy of a seed report (2021_hangzhoushi_3e5853f5);
  * every answer is a non-empty string that occurs in its document after
    removing all whitespace and '*' characters from both sides;
  * timeline items name a metric, a question and >= 12 years, each year
    answered by the national (guowuyuan) report of that year;
  * the set as a whole meets the brief: >= 170 questions, >= 20 unanswerable,
    >= 15 distinct report years, >= 20 distinct provinces.

Prints counts per type, intent, split, level, report year and province
(cities are counted under their province), plus (with -v) answers that occur
many times in their document (possibly too generic to identify a passage).
Level, year and region come from MANIFEST.tsv when it can be found (next to
the corpus folder or in shared/corpus/); otherwise from the doc_id.
Exits non-zero if any error is found.

Usage: python3 eval/check_corpus_gold.py [-v] [--corpus DIR] [--manifest FILE]
                                         [--qa FILE] [--timeline FILE]
The corpus folder defaults to $REPORTQA_CORPUS, else /tmp/corpus/reports.
"""
import argparse
import collections
import csv
import os
import re
import sys

try:  # the seed checker beside this file reads the same JSONL
    from check_gold import load_jsonl
except ModuleNotFoundError:  # run as `python -m eval.check_corpus_gold`
    from eval.check_gold import load_jsonl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
_STRIP = re.compile(r"[\s*]+")
_ID = re.compile(r"^f?c\d{3,}$")  # fc…: the fresh held-out questions
_YEAR = re.compile(r"^\d{4}$")
VALID_TYPES = ("single", "multi", "unanswerable")
VALID_INTENTS = ("target", "outcome", "list", "policy", "compare", "other")
VALID_SPLITS = ("tune", "heldout", "fresh")
UNANSWERABLE_KINDS = ("no_year", "no_place", "no_figure")
SEED_COPIES = ("2021_hangzhoushi_3e5853f5",)
GENERIC_THRESHOLD = 3  # -v: warn when an answer occurs this often in its doc
MIN_QUESTIONS, MIN_UNANSWERABLE, MIN_YEARS, MIN_PROVINCES = 170, 20, 15, 20
MIN_TIMELINE_YEARS = 12

# Prefecture-level units (地级市, 自治州, 盟) by province, short names
# (trailing 市 dropped; autonomous prefectures keep their full name).
CITIES_BY_PROVINCE = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 "
              "兴安盟 锡林郭勒盟 阿拉善盟",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城 延边朝鲜族自治州",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 莱芜 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施土家族苗族自治州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西土家族苗族自治州",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 "
            "东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 "
            "巴中 资阳 阿坝藏族羌族自治州 甘孜藏族自治州 凉山彝族自治州",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南布依族苗族自治州 黔东南苗族侗族自治州 "
            "黔南布依族苗族自治州",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄彝族自治州 红河哈尼族彝族自治州 "
            "文山壮族苗族自治州 西双版纳傣族自治州 大理白族自治州 德宏傣族景颇族自治州 "
            "怒江傈僳族自治州 迪庆藏族自治州",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 "
            "临夏回族自治州 甘南藏族自治州",
    "青海": "西宁 海东 海北藏族自治州 黄南藏族自治州 海南藏族自治州 果洛藏族自治州 "
            "玉树藏族自治州 海西蒙古族藏族自治州",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉回族自治州 博尔塔拉蒙古自治州 "
            "巴音郭楞蒙古自治州 克孜勒苏柯尔克孜自治州 伊犁哈萨克自治州",
}
CITY_PROVINCE = {c: p for p, cs in CITIES_BY_PROVINCE.items() for c in cs.split()}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


def norm(text):
    return _STRIP.sub("", text)


def province_short(region):
    for suf in PROVINCE_SUFFIXES:
        if region.endswith(suf):
            return region[: -len(suf)]
    return region


def region_province(level, region):
    """Province (short name) a report belongs to; None for national/unknown."""
    if level == "province":
        return province_short(region)
    if level == "city":
        key = region[:-1] if region.endswith("市") else region
        return CITY_PROVINCE.get(key)
    return None


def find_manifest(corpus_dir, explicit):
    if explicit:
        return explicit
    env = os.environ.get("REPORTQA_MANIFEST")
    candidates = [env] if env else []
    parent = os.path.dirname(os.path.abspath(corpus_dir))
    candidates += [os.path.join(corpus_dir, "MANIFEST.tsv"),
                   os.path.join(parent, "MANIFEST.tsv"),
                   os.path.join(ROOT, "..", "shared", "corpus", "MANIFEST.tsv")]
    for c in candidates:
        if c and os.path.isfile(c):
            return c
    return None


def load_manifest(path, errors, warnings):
    """doc_id -> {year, level, region}; empty if no manifest."""
    meta = {}
    if not path:
        warnings.append("no MANIFEST.tsv found: level/region taken from doc_id")
        return meta
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            name = row.get("file", "")
            if name.endswith(".txt"):
                meta[name[:-4]] = {"year": row.get("year", ""),
                                   "level": row.get("level", ""),
                                   "region": row.get("region", "")}
    for m in meta.values():
        if m["level"] == "city" and region_province("city", m["region"]) is None:
            warnings.append(f"manifest: no province known for city {m['region']!r}")
    return meta


class Corpus:
    """Lazily loaded, normalised report texts."""

    def __init__(self, folder):
        self.folder = folder
        self._docs = {}

    def exists(self, doc_id):
        return (isinstance(doc_id, str) and doc_id and "/" not in doc_id
                and os.path.isfile(os.path.join(self.folder, doc_id + ".txt")))

    def text(self, doc_id):
        if doc_id not in self._docs:
            with open(os.path.join(self.folder, doc_id + ".txt"), encoding="utf-8") as f:
                self._docs[doc_id] = norm(f.read())
        return self._docs[doc_id]


def doc_info(doc_id, meta):
    m = meta.get(doc_id)
    if m:
        return m["year"], m["level"], m["region"]
    year = doc_id.split("_", 1)[0]
    level = "national" if "_guowuyuan_" in doc_id else "unknown"
    return year, level, ("国务院" if level == "national" else "?")


def check_answers(where, doc_id, answers, corpus, warnings, errors):
    if not isinstance(answers, list) or not answers:
        errors.append(f"{where}: answers must be a non-empty list")
        return
    if len(answers) > 3:
        warnings.append(f"{where}: {len(answers)} answers (1-3 expected)")
    text = corpus.text(doc_id)
    for a in answers:
        if not isinstance(a, str) or not norm(a):
            errors.append(f"{where}: empty/non-string answer {a!r}")
            continue
        n = text.count(norm(a))
        if n == 0:
            errors.append(f"{where}: answer {a!r} not found in {doc_id}")
        elif n >= GENERIC_THRESHOLD:
            warnings.append(f"{where}: answer {a!r} occurs {n}x in {doc_id}")


def check_doc_id(where, doc_id, corpus, errors):
    if not corpus.exists(doc_id):
        errors.append(f"{where}: unknown doc_id {doc_id!r} (no {doc_id}.txt in corpus)")
        return False
    if doc_id in SEED_COPIES:
        errors.append(f"{where}: {doc_id} is a copy of a seed report; do not use it")
    return True


def check_qa(path, corpus, meta, errors, warnings):
    items = load_jsonl(path, errors)
    ids = collections.Counter()
    c = {k: collections.Counter() for k in
         ("type", "intent", "split", "type_split", "intent_split",
          "level", "year", "province", "gold_level")}
    for lineno, q in items:
        qid = q.get("id")
        where = f"{os.path.basename(path)}:{lineno} ({qid})"
        ids[qid] += 1
        for key in ("id", "question", "type", "intent", "split", "gold"):
            if key not in q:
                errors.append(f"{where}: missing key {key!r}")
        extra = set(q) - {"id", "question", "type", "intent", "split", "gold", "note"}
        if extra:
            errors.append(f"{where}: unexpected keys {sorted(extra)}")
        if not isinstance(qid, str) or not _ID.match(qid):
            errors.append(f"{where}: id must look like 'c001', got {qid!r}")
        if not isinstance(q.get("question"), str) or not q.get("question", "").strip():
            errors.append(f"{where}: empty question")
        note = q.get("note", "")
        if not isinstance(note, str):
            errors.append(f"{where}: note must be a string")
            note = ""
        qtype, intent, split = q.get("type"), q.get("intent"), q.get("split")
        if qtype not in VALID_TYPES:
            errors.append(f"{where}: bad type {qtype!r}")
        if intent not in VALID_INTENTS:
            errors.append(f"{where}: bad intent {intent!r}")
        if split not in VALID_SPLITS:
            errors.append(f"{where}: bad split {split!r}")
        c["type"][qtype] += 1
        c["intent"][intent] += 1
        c["split"][split] += 1
        c["type_split"][(qtype, split)] += 1
        c["intent_split"][(intent, split)] += 1

        gold = q.get("gold", [])
        if not isinstance(gold, list):
            errors.append(f"{where}: gold must be a list")
            continue
        n = len(gold)
        if qtype == "single" and n != 1:
            errors.append(f"{where}: single must have exactly 1 gold entry, has {n}")
        if qtype == "multi":
            dids = [g.get("doc_id") for g in gold if isinstance(g, dict)]
            if len(set(dids)) < 2:
                errors.append(f"{where}: multi needs >= 2 distinct doc_ids, has {len(set(dids))}")
            if len(set(dids)) != len(dids):
                errors.append(f"{where}: multi gold repeats a doc_id")
        if qtype == "unanswerable":
            if n:
                errors.append(f"{where}: unanswerable must have empty gold, has {n}")
            if not any(k in note for k in UNANSWERABLE_KINDS):
                errors.append(f"{where}: unanswerable note must name its kind "
                              f"({'/'.join(UNANSWERABLE_KINDS)})")
            c["level"]["(none: unanswerable)"] += 1

        levels, years, provinces = set(), set(), set()
        for g in gold:
            if not isinstance(g, dict):
                errors.append(f"{where}: gold entry is not an object")
                continue
            doc_id = g.get("doc_id")
            extra = set(g) - {"doc_id", "answers"}
            if extra:
                errors.append(f"{where}: unexpected gold keys {sorted(extra)}")
            if not check_doc_id(where, doc_id, corpus, errors):
                continue
            check_answers(where, doc_id, g.get("answers"), corpus, warnings, errors)
            year, level, region = doc_info(doc_id, meta)
            c["gold_level"][level] += 1
            levels.add(level)
            years.add(year)
            prov = region_province(level, region)
            if prov:
                provinces.add(prov)
            elif level in ("province", "city"):
                warnings.append(f"{where}: no province known for {region!r} ({doc_id})")
        for x in levels:
            c["level"][x] += 1
        for x in years:
            c["year"][x] += 1
        for x in provinces:
            c["province"][x] += 1
    for qid, k in ids.items():
        if k > 1:
            errors.append(f"{os.path.basename(path)}: duplicate id {qid!r} ({k}x)")
    return len(items), c


def check_timeline(path, corpus, meta, errors, warnings):
    items = load_jsonl(path, errors)
    summary = []
    metrics = collections.Counter()
    for lineno, t in items:
        metric = t.get("metric")
        where = f"{os.path.basename(path)}:{lineno} ({metric})"
        metrics[metric] += 1
        for key in ("metric", "question", "level", "years"):
            if key not in t:
                errors.append(f"{where}: missing key {key!r}")
        for key in ("metric", "question"):
            if not isinstance(t.get(key), str) or not t.get(key, "").strip():
                errors.append(f"{where}: {key} must be a non-empty string")
        if t.get("level") != "national":
            errors.append(f"{where}: level must be 'national'")
        years = t.get("years")
        if not isinstance(years, dict):
            errors.append(f"{where}: years must be an object")
            continue
        if len(years) < MIN_TIMELINE_YEARS:
            errors.append(f"{where}: {len(years)} years, need >= {MIN_TIMELINE_YEARS}")
        for year, g in sorted(years.items()):
            w = f"{where} [{year}]"
            if not _YEAR.match(year):
                errors.append(f"{w}: year key must be 4 digits")
            if not isinstance(g, dict):
                errors.append(f"{w}: entry must be an object")
                continue
            doc_id = g.get("doc_id")
            if not check_doc_id(w, doc_id, corpus, errors):
                continue
            dyear, level, _ = doc_info(doc_id, meta)
            if level != "national":
                errors.append(f"{w}: {doc_id} is not a national report ({level})")
            if dyear != year:
                errors.append(f"{w}: {doc_id} is the report for {dyear}, not {year}")
            check_answers(w, doc_id, g.get("answers"), corpus, warnings, errors)
        summary.append((metric, sorted(years)))
    for m, k in metrics.items():
        if k > 1:
            errors.append(f"{os.path.basename(path)}: metric {m!r} listed {k}x")
    if len(items) < 3:
        errors.append(f"{os.path.basename(path)}: {len(items)} metrics, need >= 3")
    return summary


def print_counter(title, counter, order=None):
    keys = order if order else sorted(counter, key=lambda k: (-counter[k], str(k)))
    print(f"  {title}:")
    for k in keys:
        print(f"    {str(k):24s} {counter.get(k, 0)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("REPORTQA_CORPUS", "/tmp/corpus/reports"))
    ap.add_argument("--manifest", default=None,
                    help="MANIFEST.tsv (default: next to the corpus or shared/corpus/)")
    ap.add_argument("--qa", default=os.path.join(HERE, "corpus_qa.jsonl"))
    ap.add_argument("--timeline", default=os.path.join(HERE, "timeline_national.jsonl"))
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also print warnings (e.g. answers occurring many times)")
    args = ap.parse_args()

    if not os.path.isdir(args.corpus):
        print(f"ERROR corpus folder not found: {args.corpus} "
              "(unpack shared/corpus/reports.tar.xz, or set --corpus / REPORTQA_CORPUS)")
        print("FAILED: 1 error(s)")
        return 1
    errors, warnings = [], []
    corpus = Corpus(args.corpus)
    manifest = find_manifest(args.corpus, args.manifest)
    if manifest and not os.path.isfile(manifest):
        errors.append(f"manifest not found: {manifest}")
        manifest = None
    meta = load_manifest(manifest, errors, warnings)
    print(f"corpus: {args.corpus}   manifest: {os.path.normpath(manifest) if manifest else '(none)'}")

    if os.path.exists(args.qa):
        n, c = check_qa(args.qa, corpus, meta, errors, warnings)
        print(f"{os.path.basename(args.qa)}: {n} questions")
        print_counter("type", c["type"], VALID_TYPES)
        print_counter("intent", c["intent"], VALID_INTENTS)
        print_counter("split", c["split"], VALID_SPLITS)
        print("  type x split (tune/heldout):")
        for t in VALID_TYPES:
            print(f"    {t:24s} {c['type_split'][(t, 'tune')]}/{c['type_split'][(t, 'heldout')]}")
        print("  intent x split (tune/heldout):")
        for t in VALID_INTENTS:
            print(f"    {t:24s} {c['intent_split'][(t, 'tune')]}/{c['intent_split'][(t, 'heldout')]}")
        print_counter("level (questions touching it)", c["level"])
        print_counter("level (gold entries)", c["gold_level"])
        print(f"  report years ({len(c['year'])} distinct): "
              + " ".join(f"{y}:{c['year'][y]}" for y in sorted(c["year"])))
        print(f"  provinces ({len(c['province'])} distinct, cities counted under their province): "
              + " ".join(f"{p}:{k}" for p, k in sorted(c["province"].items(),
                                                      key=lambda x: (-x[1], x[0]))))
        if n < MIN_QUESTIONS:
            errors.append(f"only {n} questions, need >= {MIN_QUESTIONS}")
        if c["type"]["unanswerable"] < MIN_UNANSWERABLE:
            errors.append(f"only {c['type']['unanswerable']} unanswerable, need >= {MIN_UNANSWERABLE}")
        if len(c["year"]) < MIN_YEARS:
            errors.append(f"only {len(c['year'])} distinct years, need >= {MIN_YEARS}")
        if not meta:
            warnings.append("province coverage not checked (needs MANIFEST.tsv)")
        elif len(c["province"]) < MIN_PROVINCES:
            errors.append(f"only {len(c['province'])} distinct provinces, need >= {MIN_PROVINCES}")
    else:
        errors.append(f"missing {args.qa}")

    if os.path.exists(args.timeline):
        summary = check_timeline(args.timeline, corpus, meta, errors, warnings)
        print(f"{os.path.basename(args.timeline)}: {len(summary)} metrics")
        for metric, years in summary:
            span = f"{years[0]}-{years[-1]}" if years else "-"
            print(f"    {str(metric):24s} {len(years)} years ({span})")
    else:
        errors.append(f"missing {args.timeline}")

    if args.verbose:
        for w in warnings:
            print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
