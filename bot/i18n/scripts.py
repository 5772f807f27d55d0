"""Tell a reply's language from its writing system: Hangul, Arabic, Cyrillic, Han, kana, and
Traditional from Simplified Chinese by the characters only one of them writes."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

# (first, last, script) code point ranges of the non-Latin scripts residents may write in.
_RANGES = sorted(
    [
        (0x0370, 0x03FF, "greek"),
        (0x0400, 0x052F, "cyrillic"),
        (0x0530, 0x058F, "armenian"),
        (0x0590, 0x05FF, "hebrew"),
        (0x0600, 0x06FF, "arabic"),
        (0x0750, 0x077F, "arabic"),
        (0x0900, 0x097F, "devanagari"),
        (0x0980, 0x09FF, "bengali"),
        (0x0B80, 0x0BFF, "tamil"),
        (0x0E00, 0x0E7F, "thai"),
        (0x10A0, 0x10FF, "georgian"),
        (0x1100, 0x11FF, "hangul"),
        (0x1200, 0x139F, "ethiopic"),
        (0x1780, 0x17FF, "khmer"),
        (0x1C80, 0x1C8F, "cyrillic"),
        (0x3040, 0x30FF, "kana"),
        (0x3130, 0x318F, "hangul"),
        (0x31F0, 0x31FF, "kana"),
        (0x3400, 0x4DBF, "han"),
        (0x4E00, 0x9FFF, "han"),
        (0xA960, 0xA97F, "hangul"),
        (0xAC00, 0xD7AF, "hangul"),
        (0xF900, 0xFAFF, "han"),
        (0xFB50, 0xFDFF, "arabic"),
        (0xFE70, 0xFEFF, "arabic"),
        (0xFF66, 0xFF9F, "kana"),
        (0x20000, 0x2FA1F, "han"),
    ]
)
_STARTS = [first for first, _, _ in _RANGES]

# The language a script stands for among residents. Arabic script is also Persian and Urdu,
# Cyrillic also Ukrainian, but Arabic and Russian are the ones Parley may offer.
SCRIPT_LANGUAGES = {
    "arabic": "ar",
    "armenian": "hy",
    "bengali": "bn",
    "cyrillic": "ru",
    "devanagari": "hi",
    "ethiopic": "am",
    "georgian": "ka",
    "greek": "el",
    "han": "zh",
    "hangul": "ko",
    "hebrew": "he",
    "kana": "ja",
    "khmer": "km",
    "tamil": "ta",
    "thai": "th",
}

# Common characters written differently in Traditional and Simplified Chinese (這/这, 說/说,
# 們/们, 員/员…), each only in its own script: characters both scripts use (台, 里, 后, 只…)
# are left out, so a reply of shared characters ("是的", "好") tells neither.
_TRADITIONAL_ONLY = frozenset(
    "來個們備傳價億儘優兒內兩冊別劃劇動務勞勢勵區協厲參員問啟喬單嗎嘆嚴國園圖團報場壓壞夠夢奮婦媽學實寫將專尋對導屆屬島幫廣廳"
    "張強彈從復悶惡愛態慣慮憂應懷戰戲擇擊擔據擾敗數斷於時晉暫書會東條楊業樂標樣機歐歡歲歷歸殘殺氣決沒況溝溫滅滿漢濟灣災為無煙"
    "熱爭犧狀猶獨獲獻現環產畫異當療發盡監盤眾確碼禍禮種稱穩窮競筆節築簡簽糾紀約紅紙級紛細終組結絕給統經綠維網緊線練縣總績織繼"
    "續罰罷義習聖聞聯聲職聽腦腳臉臺與興舉艦華藝藥蘇處號蝦術衛衝補裝裡複襲見規視親覺覽觀訂計訊記訪許訴詞詢試詩話該詳認語誠誤說"
    "誰課調談請諒論諸講謝證識譯議護讀變讓豬貓貝負財貢貨責買費貿資賓賠賣質購賽贊趕趨跡躍車軍較載輕輛輸轉辦農逕這連進遊運過達違"
    "遠適遲選還邊郵鄉鄭醜醫釋針銀鋼錄錢錯鍵鏡鐘鐵長門閉開間閱關陣陳陸陽隊際隨險隱雖雙雜雞離難雲電靜響頁頂項順須預頒頓頗領頭頻"
    "顆題額顏願類顧顯風飛飯館馬驗驚體鬧魚魯鳥麗麥麼黃點黨齊齒龍"
)
_SIMPLIFIED_ONLY = frozenset(
    "与专业东两严个为丽举义乐乔习乡书买争产亲亿从们价众优会传体儿党关兴内册写军农冲决况击划别剧办务动励劳势区医华协单卖卫厅历"
    "厉压县参双变号叹吗听启员响团园国图圣场坏声处备复够头奋妇妈学实宾对寻导将尽届属岁岛帮广应开异张弹强归当录忧怀态总恶惊惯愿"
    "戏战扰护报担择据数断无时显晋暂术机杀杂条来杨标样梦欢欧残气汉沟没济温湾满灭灾点烟热爱牺状犹独猪猫献环现电画疗监盘码确礼祸"
    "离种称稳穷竞笔筑签简类紧纠红约级纪纷纸线练组细织终经结给绝统继绩续维绿网罚罢职联脑脚脸舰艺节苏药获虑虽虾补袭装见观规视览"
    "觉计订认让议讯记讲许论访证识诉词译试诗诚话询该详语误说请诸读课谁调谅谈谢贝负贡财责败货质购贸费资赔赛赞赶趋跃车转轻载较辆"
    "输边达过运还这进远违连迟迳迹适选邮郑释针钟钢钱铁银错键镜长门闭问间闷闹闻阅队阳阵际陆陈险随隐难静页顶项顺须顾顿颁预领颇频"
    "颗题颜额风飞饭馆马验鱼鲁鸟鸡麦黄齐齿龙"
)
TRADITIONAL_CHINESE, CHINESE = "zh-Hant", "zh"

# Latin letters only Vietnamese uses among the offered languages: ă đ ĩ ũ ơ ư and the block of
# tone-marked vowels (ạ ả ấ … ỹ). â ê ô à á are French or Portuguese too, so they say nothing.
_VIETNAMESE = frozenset("ăđĩũơư" + "".join(chr(point) for point in range(0x1EA0, 0x1EFA)))


def script_of(char: str) -> str | None:
    """Name the non-Latin script a character belongs to, or None (Latin, digits, emoji)."""
    point = ord(char)
    index = bisect_right(_STARTS, point) - 1
    if index < 0:
        return None
    first, last, script = _RANGES[index]
    return script if first <= point <= last else None


def script_language(folded: str) -> str | None:
    """Give the language of the reply's main non-Latin script, or None if it has none.

    Any letter in another script outweighs Latin ones: "OK 好的" is Chinese, the OK a loan.
    Kana beside Han means Japanese, whose texts mix both.
    """
    if folded.isascii():
        return None
    counts = Counter(
        script
        for char in folded
        if ord(char) >= 0x0370 and char.isalpha() and (script := script_of(char)) is not None
    )
    if not counts:
        return None
    if "kana" in counts:
        counts["kana"] += counts.pop("han", 0)
    language = SCRIPT_LANGUAGES[counts.most_common(1)[0][0]]
    return han_variant(folded) or CHINESE if language == CHINESE else language


def han_variant(folded: str) -> str | None:
    """Tell Traditional (zh-Hant) from Simplified (zh) Chinese; None when nothing tells them apart.

    The characters of one script that the other writes differently are counted; the script
    with more of them wins, a tie says nothing.
    """
    traditional = sum(char in _TRADITIONAL_ONLY for char in folded)
    simplified = sum(char in _SIMPLIFIED_ONLY for char in folded)
    if traditional == simplified:
        return None
    return TRADITIONAL_CHINESE if traditional > simplified else CHINESE


def has_vietnamese_letters(folded: str) -> bool:
    """Say whether a case-folded, composed (NFC) text holds a letter only Vietnamese uses."""
    return not folded.isascii() and not _VIETNAMESE.isdisjoint(folded)
