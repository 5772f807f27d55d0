"""Built-in lists of very common words per language, for telling short replies apart.

Our locales and flows give each language its answer words (yes, no, numbers, option labels);
these lists add the small words any reply is made of, so a two-word answer such as "li te
byen" or "mabait sila" is recognised without a statistical model. Haitian Creole is unknown to
both statistical detectors, and Somali and Tagalog are weak in them, so their lists are the
longest. Words are written as residents type them; an accented form ("très", "não") is
matched exactly first, so accents tell French "très" from Spanish "tres". Romanised forms of
Arabic, Chinese, Korean and Russian words cover residents typing on a Latin keyboard.
"""

from __future__ import annotations

# Words that say nothing about a language: texted in every one of them.
_NEUTRAL_WORDS = (
    "ok okay oki okey k kk lol haha hahaha jaja jajaja hehe hmm hm mm ah oh eh uh um xd "
    "stop start help info sms police"
)
NEUTRAL = frozenset(_NEUTRAL_WORDS.split())

COMMON_WORDS: dict[str, str] = {
    "en": (
        "the a an and or but was were is are am be been it it's its he she they them him her "
        "his i me my mine you your we us our this that there what why how when who yes yeah yep "
        "nope not didn't did do does don't doesn't wasn't very really so too good great fine "
        "bad terrible awful horrible nice kind polite rude helpful friendly thanks thank please "
        "officer officers cop cops with to of in on for at about all everything nothing just "
        "only sir maam well alright listened explained treated respectful professional "
        "disrespectful slow fast quick always never would could should had have has no one some "
        "more less much many time wait thx ty tyvm pls plz u ur idk nah "
        # Praise and chat that English shares with French or Spanish spelling, and short words
        # other languages' lists also hold: without them "Excellent" or "no way" read as foreign.
        "excellent super job great team guy guys way go went problem problems expected as ha "
        "service awesome amazing perfect fantastic wonderful outstanding best worst respect "
        "man appreciated appreciate everyone thing things got get ok fair unfair calm "
        # Contractions typed without the apostrophe: "no he didnt" is English, not Portuguese.
        "didnt dont doesnt wasnt werent isnt arent cant wont couldnt wouldnt hasnt havent im "
        "ive hes shes theyre"
    ),
    "es": (
        "el la los las un una unos y o pero que qué de del en con sin por para muy bien mal "
        "bueno buena malo mala gracias señor señora oficial oficiales policía policias agente "
        "agentes me mi mis su sus lo le les se sé fue fueron es era estuvo está están estaba "
        "todo toda nada mucho muchas muchos también cuando porque nunca siempre excelente "
        "pésimo pésima atención trato trataron tratado respeto respetuoso amable amables "
        "grosero grosera rápido lento yo usted ellos ellas nos nosotros creo gusta gustó ningún "
        "ninguna ni va hubo hay q xq tmb ntp tiene tuve estoy bastante poco más así claro vale "
        "hecho menos"
    ),
    "pt": (
        "o a os as um uma e ou mas que de do da dos das em no na nos nas com sem por pelo pela "
        "para muito muita muitos bem mal bom boa ruim obrigado obrigada senhor senhora policial "
        "policiais polícia agente me meu minha ele ela eles elas foi foram é era estava está "
        "estão tudo nada também quando porque nunca sempre ótimo ótima péssimo péssima educado "
        "educada gentil grosso grossa rápido demorou atendimento respeito tratou trataram você "
        "vocês eu acho gostei não sim isso sei fiquei achei legal beleza valeu tá obrigadão "
        "excelente vc tb obg td blz pouco mais mesmo então menos"
    ),
    "fr": (
        "le la les un une des et ou mais que qui de du en avec sans pour par très bien mal bon "
        "bonne mauvais mauvaise merci monsieur madame policier policiers police agent je j me "
        "moi mon ma mes il elle ils elles était été est c'est ce cela ça va tout tous rien "
        "beaucoup oui non aussi quand parce jamais toujours excellent poli polie gentil "
        "gentille impoli impolie rapide lent respect respectueux nous vous pas ne trop peu "
        "sympa super génial d'accord écouté expliqué traité satisfait contente content voilà "
        "plutôt vraiment assez sais mrc stp svp bcp jsp"
    ),
    "ht": (
        "mwen m ou w li l nou n yo y pa te t ap ak sa bon byen mèsi mesi pou nan gen kounye wi "
        "non anpil trè se ki kijan lè lapolis polis ofisye pale tande respè trete fè bagay moun "
        "konnen vle kapab kab pat pate yon tout dwe sèlman toujou janm bèl move bezwen kontan "
        "satisfè poukisa paske tankou ankò deja enpe ti anyen dakò wè di ban avèk avek sou mal "
        "koute eksplike mache kòm konsa lot lòt pi plis oke manke ase prale pral vin bay pase "
        "m'ap map menm kòmsi sitou"
    ),
    "so": (
        "haa maya mahadsanid mahadsan mahadsanidiin mahadsantahay waan wuu way waxay ma aad aan "
        "ayaa iyo oo ku ka u ee wanaagsan fiican xun sidee maxaa sabab boolis booliska "
        "booliiska sarkaal sarkaalka wax waa qof dadka ii ila igu iga ahaa ahayd yahay tahay "
        "aniga adiga isaga iyada waxba hadda mar marka caawimo ixtiraam qabay ahay laakiin "
        "sababtoo badan yar nabad walaal haye dhib dhibaato ayuu ayay dhegeystay sharaxay "
        "noqday wacan waxaan wuxuu dhacay kuma kama ilaa wali weli garanayo aqaan ogi"
    ),
    "tl": (
        "opo oo po hindi salamat ang ng mga sa na ay si ni ko mo niya nila kami tayo sila siya "
        "ako ikaw ka ito iyon yan yun mabait mabuti maayos masama ayos pulis opisyal napaka "
        "talaga sobra sobrang wala meron may naman lang din rin kasi pero at para nang bastos "
        "magalang mabilis mabagal maraming marami nakinig pinakinggan ipinaliwanag tulong paki "
        "pakiusap gusto ayaw kanila akin amin galang natin ba nga pala sige oho ho ganun ganon "
        "medyo sana kayo niyo inyo hnd ndi nmn lng alam ewan"
    ),
    "vi": (
        "vâng dạ có không cảm ơn cám tốt rất lắm xấu tệ được đc ko hông họ anh chị em tôi mình "
        "ông bà cảnh sát công an lịch sự thân thiện nhanh chậm giúp đỡ nói nghe giải thích tôn "
        "trọng hài lòng bình thường ổn cũng và với của là này đó thì mà nhưng vì cho đã đang sẽ "
        "rồi nhiều ít quá hơi thật người gì sao ạ nha nhé ừ ờ khong vang bạn dc hok biết"
    ),
    "ar": "نعم لا شكرا شكراً جيد ممتاز سيء الشرطة الضابط shukran naam aiwa tamam mumtaz",
    "ko": "네 예 아니요 아니오 감사합니다 좋아요 좋았어요 경찰 kamsahamnida gamsahamnida aniyo",
    "ru": "да нет спасибо хорошо плохо полиция офицер spasibo khorosho horosho nyet",
    "zh": "是 对 不 好 很 谢谢 警察 xiexie xie nihao henhao meiyou duibuqi",
}
