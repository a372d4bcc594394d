"""Short patient articles on conditions that are often confused with hamstring tendinopathy.

Each article has the same shape as `hamstring_tendinopathy.CONDITION`, with three sections:
what it is, how it differs from hamstring tendinopathy, and when to get it assessed.
"""

from textwrap import dedent


def _md(text):
    """Dedent a triple-quoted Markdown block and trim the surrounding blank lines."""
    return dedent(text).strip()


HAMSTRING_STRAIN = {
    "slug": "hamstring-strain",
    "name": "Hamstring strain",
    "aliases": ["pulled hamstring", "torn hamstring", "hamstring tear", "hamstring muscle injury"],
    "summary": (
        "A hamstring strain is a sudden injury in which some fibres of a hamstring muscle are overstretched "
        "or torn, often while sprinting, kicking or reaching into a stretch. It usually causes sharp pain at "
        "the back of the thigh at the moment it happens, and most strains heal within weeks with a gradual "
        "rehab plan."
    ),
    "illustration": None,
    "sections": [
        {
            "kind": "overview",
            "title": "What is a hamstring strain?",
            "body": _md(
                """
                A hamstring strain, often called a pulled hamstring, happens when one of the three hamstring
                muscles at the back of the thigh is stretched too far or has to work too hard, too fast. Some
                of the muscle fibres are damaged or torn.

                It usually happens in a moment, for example when sprinting, accelerating, kicking a ball or
                doing the splits. People often feel a sudden sharp pain, and sometimes a pop or a tearing
                feeling. Bruising and swelling may appear over the next day or two.

                Strains range from mild, where only a few fibres are affected, to severe, where the muscle or
                its tendon is badly torn. Most mild and moderate strains heal within a few weeks with relative
                rest followed by gradually increasing exercise. A severe tear near the sitting bone may need a
                specialist opinion.
                """
            ),
        },
        {
            "kind": "differences",
            "title": "How it differs from hamstring tendinopathy",
            "body": _md(
                """
                | | Hamstring strain | Hamstring tendinopathy |
                |---|---|---|
                | How it starts | Suddenly, at a moment you can name | Gradually, over weeks or months |
                | Where it hurts | Usually the muscle, mid-thigh | Low in the buttock, at the sitting bone |
                | Pop, bruising, swelling | Common | Not usual |
                | Sitting | May be uncomfortable at first | Often one of the most painful things |
                | Typical recovery | Weeks for most strains | Often months |

                A strain is a sudden injury to the muscle. Tendinopathy is a slow overload problem in the
                tendon. They need different rehab plans, so it is worth having the cause checked.
                """
            ),
        },
        {
            "kind": "when_to_see",
            "title": "When to get it assessed",
            "body": _md(
                """
                Get assessed promptly, ideally within a day or two, if:

                - you felt or heard a pop and had sudden severe pain
                - there is a lot of bruising or swelling
                - you find it hard to walk or put weight on the leg
                - the pain is high up near the sitting bone after a forceful injury, because a tear of the
                  tendon there is sometimes best treated early

                Also see a physiotherapist or your GP if it is not improving after a week or two, or if you
                keep injuring the same hamstring.
                """
            ),
        },
    ],
    "red_flags": [
        {
            "sign": "A pop with sudden severe pain, marked bruising, or difficulty bearing weight",
            "action": "Get assessed the same day, for example at an urgent treatment centre or by your GP.",
        },
    ],
    "related": [
        {
            "slug": "hamstring-tendinopathy",
            "difference": "Tendinopathy builds up slowly at the sitting bone with no moment of injury, and "
            "usually has no bruising.",
        },
    ],
    "faqs": [
        {
            "question": "Should I stretch a pulled hamstring?",
            "answer": _md(
                """
                Not hard or early. Gentle movement within comfort is usually fine, but forceful stretching can
                make a fresh tear worse. A physiotherapist can tell you when and how to add stretching and
                strengthening.
                """
            ),
        },
        {
            "question": "Can a strain turn into tendinopathy?",
            "answer": _md(
                """
                A previous hamstring injury is one of the things that can make tendinopathy more likely later
                on, which is one reason why finishing your rehab properly matters.
                """
            ),
        },
    ],
    "references": [],
}


SCIATICA = {
    "slug": "sciatica",
    "name": "Sciatica",
    "aliases": ["sciatic nerve pain", "lumbar radicular pain", "trapped nerve in the back"],
    "summary": (
        "Sciatica is pain caused by irritation of the sciatic nerve or the nerve roots in the lower back "
        "that form it. It typically travels from the buttock down the back of the leg, sometimes to the "
        "foot, and often comes with tingling, numbness or pins and needles. Many cases settle within weeks, "
        "but some signs need urgent attention."
    ),
    "illustration": None,
    "sections": [
        {
            "kind": "overview",
            "title": "What is sciatica?",
            "body": _md(
                """
                The sciatic nerve is the largest nerve in the body. It is formed from nerve roots in the lower
                back, passes through the buttock and runs down the back of the leg. Sciatica is the name for
                pain that comes from this nerve or its roots being irritated or pressed on, most often by a
                bulging disc in the lower back.

                Sciatica can feel burning, shooting or electric, and it often spreads below the knee. It may
                come with tingling, numbness or pins and needles, and sometimes weakness in the leg or foot.
                Back pain may or may not be present. Coughing, sneezing or sitting for long periods can make
                it worse.

                Many people find that sciatica improves over a few weeks with staying gently active and
                suitable exercise, although for some it lasts longer.
                """
            ),
        },
        {
            "kind": "differences",
            "title": "How it differs from hamstring tendinopathy",
            "body": _md(
                """
                - **Type of pain**: sciatica is nerve pain that burns, shoots or zings down the leg.
                  Tendinopathy is a deep, local ache at the sitting bone.
                - **How far it spreads**: sciatica often travels below the knee, sometimes to the foot.
                  Tendinopathy pain usually stays in the buttock and upper back of the thigh.
                - **Tingling and numbness**: common in sciatica, not typical of tendinopathy.
                - **Where it comes from**: sciatica usually starts in the lower back. Tendinopathy starts in
                  the hamstring tendon.

                The two can overlap. An irritated hamstring tendon can sometimes upset the nearby sciatic
                nerve, and back problems can come before hamstring tendon pain. A clinician can work out which
                is the main source.
                """
            ),
        },
        {
            "kind": "when_to_see",
            "title": "When to get it assessed",
            "body": _md(
                """
                See your GP or a physiotherapist if:

                - the pain is severe, getting worse, or not improving after a few weeks
                - you have numbness, tingling or weakness in the leg or foot
                - it is stopping you from sleeping, working or doing daily activities

                **Go to A&E or call 999 straight away** if you have numbness around your bottom or genitals,
                new problems controlling your bladder or bowel, or sciatica in both legs. These can be signs
                of serious pressure on the nerves at the base of the spine (cauda equina syndrome), which
                needs emergency treatment.
                """
            ),
        },
    ],
    "red_flags": [
        {
            "sign": "Numbness around your bottom or genitals, new bladder or bowel problems, or symptoms in "
            "both legs",
            "action": "This is an emergency. Go to A&E or call 999 straight away.",
        },
        {
            "sign": "Weakness in the leg or foot that is getting worse",
            "action": "Get urgent advice the same day from your GP or NHS 111.",
        },
    ],
    "related": [
        {
            "slug": "hamstring-tendinopathy",
            "difference": "Tendinopathy is a deep ache at the sitting bone, worse with sitting and hamstring "
            "use, without tingling or numbness.",
        },
    ],
    "faqs": [
        {
            "question": "Why does my buttock hurt if the problem is in my back?",
            "answer": _md(
                """
                Nerves carry pain signals from the whole area they supply. When a nerve root in the back is
                irritated, the brain can feel the pain along the path of the nerve, in the buttock and leg,
                even though the problem is higher up.
                """
            ),
        },
    ],
    "references": [],
}


PIRIFORMIS_SYNDROME = {
    "slug": "piriformis-syndrome",
    "name": "Piriformis syndrome",
    "aliases": ["deep gluteal syndrome", "piriformis pain"],
    "summary": (
        "Piriformis syndrome is buttock pain thought to come from the piriformis, a small muscle deep in the "
        "buttock, irritating the sciatic nerve that runs close to it. It can cause pain in the middle of the "
        "buttock that may spread down the leg. It is diagnosed mainly by ruling out other causes."
    ),
    "illustration": None,
    "sections": [
        {
            "kind": "overview",
            "title": "What is piriformis syndrome?",
            "body": _md(
                """
                The piriformis is a small muscle that lies deep in the buttock. It runs from the base of the
                spine (the sacrum) to the top of the thigh bone and helps turn the leg outwards. The sciatic
                nerve passes just underneath it, and in some people through it.

                Piriformis syndrome is the name given to buttock pain that is thought to come from this muscle
                irritating or squeezing the sciatic nerve. It can cause a deep ache in the middle of the
                buttock, pain that spreads down the back of the leg, and sometimes tingling. Sitting, climbing
                stairs or turning the leg can make it worse.

                There is no single test for it, and experts still debate how common it is. It is usually
                diagnosed after other causes of buttock pain, such as back problems, have been ruled out.
                """
            ),
        },
        {
            "kind": "differences",
            "title": "How it differs from hamstring tendinopathy",
            "body": _md(
                """
                - **Where it hurts**: piriformis pain is usually in the middle of the buttock, higher up and
                  more to the side. Tendinopathy pain sits lower, at the sitting bone and buttock crease.
                - **What sets it off**: piriformis pain may be brought on by turning the hip or stretching the
                  buttock muscles. Tendinopathy is typically provoked by using or stretching the hamstring,
                  bending forward, and pressure on the sitting bone.
                - **Nerve symptoms**: tingling down the leg is more likely with piriformis syndrome, because
                  the nerve is involved. It is not typical of tendinopathy.

                Both can make sitting uncomfortable, so a careful examination is the best way to tell them
                apart.
                """
            ),
        },
        {
            "kind": "when_to_see",
            "title": "When to get it assessed",
            "body": _md(
                """
                See a physiotherapist or your GP if buttock pain lasts more than a couple of weeks, keeps
                coming back, or spreads down your leg. Get help sooner if you have numbness, tingling or
                weakness in the leg.

                **Go to A&E or call 999 straight away** if you have numbness around your bottom or genitals,
                or new problems controlling your bladder or bowel.
                """
            ),
        },
    ],
    "red_flags": [],
    "related": [
        {
            "slug": "hamstring-tendinopathy",
            "difference": "Tendinopathy pain sits lower, at the sitting bone, and is brought on by loading "
            "or stretching the hamstring rather than by turning the hip.",
        },
    ],
    "faqs": [
        {
            "question": "Is piriformis syndrome the same as sciatica?",
            "answer": _md(
                """
                Not quite. Both involve the sciatic nerve, but sciatica usually starts in the lower back,
                whereas piriformis syndrome is thought to start where the nerve passes the piriformis muscle
                in the buttock.
                """
            ),
        },
    ],
    "references": [],
}


GLUTEAL_TENDINOPATHY = {
    "slug": "gluteal-tendinopathy",
    "name": "Gluteal tendinopathy",
    "aliases": [
        "greater trochanteric pain syndrome",
        "trochanteric bursitis",
        "lateral hip pain",
        "gluteus medius tendinopathy",
    ],
    "summary": (
        "Gluteal tendinopathy is a load-related problem in the tendons of the buttock muscles where they "
        "attach to the bony point on the outer side of the hip. It causes pain on the side of the hip, often "
        "worse when lying on that side, climbing stairs or standing on one leg. Like hamstring tendinopathy, "
        "it usually improves with load management and gradual strengthening."
    ),
    "illustration": None,
    "sections": [
        {
            "kind": "overview",
            "title": "What is gluteal tendinopathy?",
            "body": _md(
                """
                Two of your buttock muscles, gluteus medius and gluteus minimus, attach by tendons to the
                greater trochanter. This is the bony bump you can feel on the outer side of your hip. These
                muscles keep your pelvis level when you stand on one leg, walk or run.

                In gluteal tendinopathy, these tendons have become painful and less able to cope with load. It
                causes pain on the outer side of the hip, which may spread down the outside of the thigh.
                Lying on the painful side, crossing your legs, climbing stairs, walking uphill and standing on
                one leg often make it worse. It is particularly common in women around and after the
                menopause.

                It used to be called trochanteric bursitis, and the wider group of outer hip pain problems is
                sometimes called greater trochanteric pain syndrome.
                """
            ),
        },
        {
            "kind": "differences",
            "title": "How it differs from hamstring tendinopathy",
            "body": _md(
                """
                - **Where it hurts**: gluteal tendinopathy hurts on the **outer side of the hip**. Hamstring
                  tendinopathy hurts **under the buttock**, at the sitting bone.
                - **What sets it off**: lying on your side, crossing your legs and standing on one leg are
                  typical triggers for gluteal tendinopathy. Sitting on hard seats, bending forward and fast
                  running are more typical for hamstring tendinopathy.
                - **What is similar**: both are load-related tendon problems. Both usually improve with easing
                  off irritating activities and a gradual strengthening plan, and some people have both.
                """
            ),
        },
        {
            "kind": "when_to_see",
            "title": "When to get it assessed",
            "body": _md(
                """
                See a physiotherapist or your GP if pain on the outer side of the hip lasts more than a couple
                of weeks, disturbs your sleep, or makes walking or stairs difficult.

                Get seen promptly if the pain started after a fall, if you cannot put weight on the leg, or if
                you feel unwell or feverish with a hot, red, swollen hip.
                """
            ),
        },
    ],
    "red_flags": [
        {
            "sign": "Hip pain after a fall, especially if you cannot put weight on the leg",
            "action": "Get seen the same day at an urgent treatment centre or A&E, as you may need an X-ray.",
        },
    ],
    "related": [
        {
            "slug": "hamstring-tendinopathy",
            "difference": "Hamstring tendinopathy affects the tendon under the buttock at the sitting bone, "
            "not the outer side of the hip.",
        },
    ],
    "faqs": [
        {
            "question": "Why does it hurt when I lie on my side?",
            "answer": _md(
                """
                Lying on the sore side presses directly on the tendons. Lying on the other side can also hurt
                if your top knee drops down, because that stretches and squashes the tendons. A pillow between
                your knees can help.
                """
            ),
        },
    ],
    "references": [],
}


ISCHIAL_BURSITIS = {
    "slug": "ischial-bursitis",
    "name": "Ischial bursitis",
    "aliases": ["ischiogluteal bursitis", "weaver's bottom", "sitting bone bursitis"],
    "summary": (
        "Ischial bursitis is irritation of a small fluid-filled cushion, called a bursa, that lies over the "
        "sitting bone. It mainly causes pain when sitting, especially on hard surfaces. Because it sits so "
        "close to the hamstring tendon, it is easily confused with hamstring tendinopathy, and the two can "
        "occur together."
    ),
    "illustration": None,
    "sections": [
        {
            "kind": "overview",
            "title": "What is ischial bursitis?",
            "body": _md(
                """
                A bursa is a small, slippery sac of fluid that helps tissues glide over bone. There is one
                over each sitting bone (ischial tuberosity), between the bone and the tissues above it.

                If the bursa becomes irritated it can cause pain and tenderness at the sitting bone. This may
                follow long periods of sitting on hard surfaces, a fall onto your bottom, or repeated pressure
                or friction. It has been nicknamed "weaver's bottom", after people who sat for long hours at a
                loom.

                It usually settles with reducing pressure on the area, for example with a cushion and regular
                breaks from sitting. Your clinician can advise on other treatment if it does not.
                """
            ),
        },
        {
            "kind": "differences",
            "title": "How it differs from hamstring tendinopathy",
            "body": _md(
                """
                - **Main trigger**: ischial bursitis mostly hurts with **direct pressure**, such as sitting.
                  Tendinopathy also hurts with sitting, but is typically provoked by **using the hamstring**
                  too, for example running, lunging, bending forward or tightening the muscle against
                  resistance.
                - **Swelling**: an irritated bursa can sometimes be slightly swollen or feel puffy.
                  Tendinopathy does not usually cause visible swelling.
                - **Telling them apart**: the two sit very close together and can occur at the same time. An
                  examination, and sometimes an ultrasound or MRI scan, can help show which is the main
                  problem.
                """
            ),
        },
        {
            "kind": "when_to_see",
            "title": "When to get it assessed",
            "body": _md(
                """
                See a physiotherapist or your GP if pain at the sitting bone lasts more than a couple of
                weeks, or makes it hard to sit, work or sleep.

                Get urgent advice the same day, from your GP or NHS 111, if the area becomes hot, red or
                swollen, or you feel feverish or unwell. An infected bursa is uncommon but needs prompt
                treatment.
                """
            ),
        },
    ],
    "red_flags": [
        {
            "sign": "A hot, red or swollen area over the sitting bone, or fever and feeling unwell",
            "action": "This may be an infection. Get urgent advice the same day from your GP or NHS 111.",
        },
    ],
    "related": [
        {
            "slug": "hamstring-tendinopathy",
            "difference": "Tendinopathy is also painful when using the hamstring, such as running or bending "
            "forward, not only when sitting.",
        },
    ],
    "faqs": [
        {
            "question": "What kind of cushion helps?",
            "answer": _md(
                """
                A soft cushion, or one shaped to take pressure off the sitting bones, can make sitting more
                comfortable. Getting up regularly and mixing sitting with standing helps too.
                """
            ),
        },
    ],
    "references": [],
}


CONDITIONS = [
    HAMSTRING_STRAIN,
    SCIATICA,
    PIRIFORMIS_SYNDROME,
    GLUTEAL_TENDINOPATHY,
    ISCHIAL_BURSITIS,
]
