"""Patient article: proximal (high) hamstring tendinopathy.

Facts follow /work/shared/clinical/hamstring-tendinopathy.md; every sentence is written for the portal.
UK English, aimed at a reading age of about 12.
"""

from textwrap import dedent


def _md(text):
    """Dedent a triple-quoted Markdown block and trim the surrounding blank lines."""
    return dedent(text).strip()


CONDITION = {
    "slug": "hamstring-tendinopathy",
    "name": "Proximal hamstring tendinopathy",
    "aliases": [
        "high hamstring tendinopathy",
        "hamstring tendinitis",
        "hamstring tendonitis",
        "hamstring tendinosis",
        "proximal hamstring tendinitis",
        "proximal hamstring tendonitis",
        "upper hamstring tendinopathy",
    ],
    "summary": (
        "Proximal hamstring tendinopathy is a long-running problem in the tendon that fixes your hamstring "
        "muscles to your sitting bone, at the bottom of the pelvis. It causes a deep ache low in the buttock "
        "that is often worse when you sit, run or bend forward, and it usually builds up slowly rather than "
        "starting with one injury. The tendon has been asked to do more than it can currently cope with, so "
        "the answer is usually a carefully paced plan of strengthening exercises rather than rest alone."
    ),
    "illustration": {
        "path": "conditions/img/hamstring-anatomy.svg",
        "alt": (
            "Drawing of the right hip and thigh seen from behind. The right half of the pelvis sits at "
            "the top, with the thigh bone running down to the knee. The ischial tuberosity, or sitting "
            "bone, is the rounded lowest point of the pelvis, close to the middle of the body. Three "
            "hamstring muscles run from the sitting bone down the back of the thigh: biceps femoris "
            "towards the outer side of the knee, and semitendinosus and semimembranosus towards the inner "
            "side. An orange shaded zone around the sitting bone and the tendons fixed to it marks where "
            "the pain usually sits."
        ),
    },
    "sections": [
        {
            "kind": "overview",
            "title": "What is proximal hamstring tendinopathy?",
            "body": _md(
                """
                Proximal hamstring tendinopathy is a painful problem with the tendon at the very top of your
                hamstring muscles, where they join the pelvis just under your buttock. "Proximal" means the
                end nearest the middle of your body, so you may also hear it called **high hamstring
                tendinopathy**.

                ### Lots of names, one problem

                You might see it written as hamstring **tendinitis**, **tendonitis** or **tendinosis**.
                "Tendinopathy" is the umbrella word that clinicians now use for a tendon that has become
                painful and less able to do its job, whatever the exact cause. This portal uses "tendinopathy"
                because it describes the problem most accurately.

                ### How it differs from other hamstring problems

                - **Acute tendonitis** is usually set off by one particular event, such as a very hard session
                  or an injury, and people can often name the day it began.
                - **A tendon tear** follows a sudden, forceful injury. It often comes with a pop, bruising and
                  trouble walking, and it needs to be checked promptly.
                - **Tendinopathy** is a slow overload problem. It creeps up over weeks or months because the
                  tendon has been asked, again and again, to handle more than it could at the time.

                ### Who gets it?

                It is common in runners, particularly middle and long-distance runners, and in football
                players, dancers and people who play sports with lots of sprinting or kicking. You do not have
                to be sporty to get it, though. It also affects people who sit for long hours at work, people
                going back to exercise after a long break, and people in middle age and beyond. It is seen
                more often in women than in men.

                The good news is that most people improve with the right kind of exercise, patience and
                support.
                """
            ),
        },
        {
            "kind": "anatomy",
            "title": "The hamstrings and the sitting bone",
            "body": _md(
                """
                Three muscles make up your hamstrings. They run from the pelvis down to the knee:

                - **Biceps femoris**, on the outer side of the back of the thigh. It has two parts, a long
                  head and a short head.
                - **Semitendinosus**, on the inner side.
                - **Semimembranosus**, also on the inner side, lying a little deeper.

                ### What the hamstrings do

                - They **bend your knee**.
                - They **extend your hip**, which means moving your thigh backwards, for example when you push
                  off to walk, climb stairs or stand up from a chair.
                - They act as **brakes**. When you walk, run or kick, your lower leg swings forward quickly,
                  and the hamstrings work hard to slow it down under control.

                ### Where they attach

                At the top, the hamstrings are fixed to the **ischial tuberosity**, the knobbly bony point at
                the bottom of your pelvis. It is often called the **"sitting bone"** because it takes your
                weight when you sit. If you sit on your hands, you can feel one under each buttock.

                - The **long head of biceps femoris** and **semitendinosus** start together, from one
                  shared tendon on the sitting bone.
                - **Semimembranosus** has a tendon of its own, which starts on the sitting bone just beside
                  the shared one.
                - The **short head of biceps femoris** is the exception. It starts lower down, on the back
                  of the thigh bone (femur), so it is not part of the tendon problem at the sitting bone.

                These tendons sit very close together, so clinicians often talk about them as one
                "hamstring origin".

                At the bottom, the hamstrings attach around the knee. Tendinopathy can also happen down there,
                but this article is about the top end, at the buttock.

                ### Where the pain sits

                The pain of proximal hamstring tendinopathy is usually felt deep in the lower buttock, right
                over the sitting bone or in the crease where the buttock meets the thigh. The illustration on
                this page shows the right hip and thigh from behind, with the three muscles, where they
                start on the sitting bone and the usual area of pain shaded.
                """
            ),
        },
        {
            "kind": "tendon",
            "title": "What is happening in the tendon?",
            "body": _md(
                """
                A tendon is a tough, cord-like band that links a muscle to a bone. Tendons are living tissue.
                They slowly adapt to the work you give them: sensible, gradual loading makes them stronger,
                while too much load too quickly can make them sore and irritable.

                ### When load outgrows the tendon

                Every time you run, climb or sit, the tendon takes some strain. Normally, the tiny amount of
                wear this causes is repaired between activities. Problems start when the tendon is loaded
                **beyond what it can currently tolerate**, over and over, without enough recovery time. The
                small areas of damage then build up **faster than the body can repair them**.

                Over time the tendon changes. It becomes **thicker**, more **sensitive** and **weaker**, which
                means it copes with even less load than before. That is why the pain can seem to spread to
                more and more everyday activities.

                ### Not mainly inflammation

                Older leaflets describe tendon problems as swelling and redness, and the ending "-itis" means
                inflammation. Research over the last decade or so has changed that picture. Experts now see
                tendinopathy mainly as a **change in the structure of the tendon and in how much load it can
                handle**, rather than as an inflamed, swollen tendon. This is why many clinicians prefer the
                word tendinopathy to tendinitis.

                ### Why rest on its own rarely fixes it

                Resting often calms the pain for a while, but it does not rebuild the tendon's strength. In
                fact, a tendon that has been rested for a long time is usually *less* able to cope with load.
                So when you go back to normal activity, the pain often returns.

                What helps is a balance: easing off the activities that irritate the tendon, while gradually
                giving it more of the right kind of work so that it becomes stronger again. This is called
                **progressive loading**, and it is the heart of treatment.
                """
            ),
        },
        {
            "kind": "symptoms",
            "title": "Symptoms",
            "body": _md(
                """
                ### The main symptom

                A **deep ache in the lower buttock**, right at the sitting bone or in the buttock crease. It
                may spread a short way down the back of the thigh. Some people describe it as sharp, or like a
                toothache that never quite goes away.

                ### What tends to make it worse

                - **Sitting**, especially on hard chairs, and **driving**
                - **Running**, particularly sprinting, speeding up quickly and running uphill
                - **Lunging** and **squatting**
                - **Bending forward**, for example to tie your shoes or pick something up
                - **Walking up hills** or slopes
                - **Stretching the hamstring**, such as reaching for your toes or some yoga and Pilates poses

                ### Patterns you may notice

                - It comes on **gradually**, with no single moment of injury you can point to.
                - It is often **stiff first thing in the morning** or after you have been still for a while.
                - It may **ease once you have warmed up** during exercise, then **come back after you stop**,
                  sometimes later that day or the next morning.
                - The sitting bone feels **tender when pressed**.
                - It hurts when you **tighten the hamstring against resistance**, for example when you try to
                  bend your knee while someone holds your ankle.

                ### Other things people notice

                - An achy feeling in the buttock muscles (the glutes)
                - A snapping sensation or sound around the hip or buttock
                - Stiffness in the hip, buttock or back of the thigh
                - Weakness in the hamstring or hip

                The tendon sits close to the **sciatic nerve**, a large nerve that runs down the back of the
                leg. Sometimes the nerve becomes irritated too, and pain can travel further down the leg.
                Numbness or tingling is not a usual sign of tendinopathy, though, so please read the red flags
                on this page if you have them.

                ### When it is more severe

                In more severe cases people may **limp**, have pain **most or all of the time**, and find it
                **hard to sleep**, for example when lying on their back or side.

                Pain at night that **wakes you up and does not ease when you change position** is different.
                It is not typical of tendinopathy, so please get it checked by a clinician **within a few
                days**, even if you are already doing rehab.
                """
            ),
        },
        {
            "kind": "severity",
            "title": "How severe is it, and how long does recovery take?",
            "body": _md(
                """
                Tendinopathy ranges from a niggle to a problem that affects your whole day. The table gives
                typical recovery times when people follow a structured rehab plan. Everyone is different, so
                treat these as a rough guide, not a promise.

                | Level | What it looks like | Typical recovery with structured rehab |
                |---|---|---|
                | Mild | A dull ache or stiffness after workouts | 6–8 weeks |
                | Moderate | Pain that gets in the way of sport, sitting or climbing stairs | 3–6 months |
                | Severe | Pain all the time, affecting work, sleep and daily life | 6–12 months or longer |

                ### Your symptoms, not the calendar, decide progress

                Try not to judge your recovery by counting days or weeks. Move on to harder exercises when
                your symptoms say you are ready, not because a certain date has arrived. Your plan on this
                portal works the same way.

                As a general rule, **the longer you have had symptoms, the longer recovery is likely to
                take**. That is not a reason to lose heart. It is a reason to start a sensible plan now and to
                be patient with it.

                ### What usually happens at each level

                - **Mild**, with pain only after exercise: changing your activity for a while and doing some
                  targeted strengthening exercises is often enough.
                - **Moderate**, where it affects sitting, daily life or sport: a structured physiotherapy
                  programme with progressive loading is usually needed. Shockwave therapy is sometimes added.
                - **Severe**, where symptoms carry on for 6–12 months despite good rehab: your clinician may
                  talk to you about injections or about getting an opinion from a surgeon.
                """
            ),
        },
        {
            "kind": "causes",
            "title": "Causes and risk factors",
            "body": _md(
                """
                The exact causes are not fully understood. Tendinopathy is thought to come from a mix of
                things rather than one single cause, and the factors below are the ones linked with it most
                often. Understanding your own mix helps you and your clinician plan your recovery.

                ### Too much, too soon

                The most common trigger is a change that is bigger or quicker than the tendon can adapt to.
                For example:

                - starting running, or going back to it after a break
                - training for a race
                - adding more speed work, longer distances or more hills
                - taking on a new kind of load, such as lifting heavier weights, walking much more, or even
                  swapping shopping bags for a heavy rucksack

                ### How your body shares the work

                - **Weak glutes.** If your main buttock muscle (gluteus maximus) is weak or slow to switch on,
                  the hamstrings are thought to take on extra work.
                - **A weak core** and **poor control of the pelvis** are thought to add to the strain.
                - **Tight hip flexors** (the muscles at the front of the hip) are thought to stop the glutes
                  from working as well as they should.
                - **Muscle imbalance**: strong thigh muscles at the front (quadriceps) paired with weaker
                  hamstrings or glutes is thought to pull unevenly on the hip and knee.

                ### Sitting and work

                - **Long spells of sitting** press the tendon against the sitting bone. This squashing
                  (compression) is thought to irritate a sensitive tendon and may make recovery harder.
                - **Jobs** with lots of sitting, or lots of repeated bending, raise the risk.

                ### Health and personal factors

                - **Age**: tendons slowly lose some of their springiness as we get older.
                - **Higher body weight**, which adds load to the tendon.
                - **Metabolic conditions** such as diabetes or insulin resistance, which are thought to
                  change the make-up of tendons.
                - **The menopause**, when hormone changes may affect tendon health.
                - **Being female**: the condition is more common in women.
                - **A previous injury** to the hamstring or the area around it.

                ### Other triggers

                - **After back pain**, when the sciatic nerve has been irritated.
                - **After a slip or slide**, when the hamstring tightens suddenly and pulls hard on the
                  tendon.

                ### You are not alone

                Tendon problems are very common. Researchers estimate that they make up **30–50% of all sports
                injuries** (Rees, Maffulli and Cook, 2009).
                """
            ),
        },
        {
            "kind": "assessment",
            "title": "How it is assessed",
            "body": _md(
                """
                Most people are diagnosed from a careful conversation and examination. Scans are only needed
                in some cases.

                ### Questions your clinician may ask

                - When did it start, and did it come on slowly or after a particular injury?
                - What makes it worse or better, for example sitting, running, hills or bending?
                - What have you already tried, and did it help?
                - How does it affect walking, running, standing and using stairs?
                - Have you noticed any swelling, giving way, locking or snapping?

                It can help to jot down your answers before your appointment.

                ### The examination

                Your clinician may:

                - press gently on the sitting bone and along the tendon to find tender spots
                - check how freely your hip moves
                - ask you to push your leg backwards, or bend your knee, against their hand
                - ask you to do a **single-leg bridge** (lifting your hips while lying on your back with one
                  foot on the floor)
                - watch you **bend forward**
                - use tests that gently **stretch or squeeze the tendon** to see whether they bring on your
                  usual pain
                - check the **strength** of your glutes and hamstrings and the **flexibility** of your hips,
                  for example with a test for tightness at the front of the hip (the Thomas test)
                - look at your posture, how well you control your pelvis, and your training or running
                  patterns

                Some of these tests may briefly bring on your familiar pain. That is expected, because it
                helps show where the pain is coming from. Let your clinician know how it feels.

                ### Scans, if they are needed

                - **Ultrasound** can show thickening and other changes in the tendon.
                - **MRI** may be used for long-standing or complicated cases, or to rule out other problems.
                - **X-ray** may be used after a fall or other injury, to check for a broken bone.

                ### Other conditions to rule out

                Several problems can cause pain deep in the buttock, so your clinician will think about:

                - a hamstring strain or a tendon tear
                - sciatica or other nerve irritation
                - pain coming from the lower back
                - piriformis syndrome
                - gluteal tendinopathy (pain on the outer hip)
                - ischial bursitis (an irritated fluid-filled cushion near the sitting bone)
                - arthritis
                - a fracture (broken bone), especially after a fall or injury
                """
            ),
        },
        {
            "kind": "treatment",
            "title": "Treatment and self-care",
            "body": _md(
                """
                Treatment aims to calm the tendon down and then make it stronger than it was before. It takes
                time, but most people get back to the things they enjoy.

                ### 1. Manage the load

                The first step is to cut down or change the things that irritate the tendon, such as sprints,
                hills and long spells of sitting, while **keeping up what your tendon can handle**. For
                example, many runners can keep running if they go shorter, slower and flatter for a while.

                Understanding your condition is part of treatment. Try not to "test it" with a hard run or a
                big stretch to see whether it has gone. That often sets recovery back.

                ### 2. Load it gradually: progressive loading

                This is the most important part of treatment. Exercises usually build up in steps:

                1. **Holding exercises (isometrics)**, where the muscle works without moving, such as holding
                   a bridge. These can ease pain in the short term.
                2. **Strength exercises through movement**, including slow lowering (eccentric) exercises.
                3. **Functional and sport exercises**, building up to running and jumping if you need them.

                Your clinician will choose the right exercises and tell you when to move on. The phases
                section below explains the steps in more detail.

                ### 3. Be careful with stretching

                - In the early stages, **avoid positions that stretch the tendon hard or squash it**, such as
                  touching your toes, deep hamstring stretches, deep squats and lunges, or foam rolling on the
                  sitting bone.
                - Stretching on its own **rarely fixes** tendinopathy, and **forceful stretching can make it
                  worse**.
                - If your clinician feels it would help, they may suggest a **gentle stretch with the knee
                  bent**. Stay within comfort and **never stretch into pain**.

                ### 4. Make sitting easier

                - Use a **cushion** that takes pressure off your sitting bones.
                - Try a **standing desk**, or swap between sitting and standing.
                - Get up and move about **regularly**, and take breaks on long car journeys.
                - Where you can, **stand, kneel or lie down** instead of sitting.
                - Avoid sitting on hard surfaces for long periods.

                ### 5. Other treatments you may hear about

                Some clinics offer these alongside exercise. None of them replaces the exercise programme,
                and how well they work for this tendon is less certain than for loading exercise.

                - **Shockwave therapy**: sound waves passed through the skin over the tendon. It is
                  sometimes added for moderate or long-lasting cases.
                - **Massage**: usually to the muscles rather than directly on the sore tendon, where it may
                  help with tightness.
                - **Kinesiology taping**: stretchy tape applied to the skin. Some people like how it feels,
                  but there is little good evidence that it changes the pain or the recovery.
                - **Acupuncture**: some people try it, but there is little good evidence that it helps this
                  condition.

                For symptoms that continue despite good rehab, your clinician may discuss:

                - **A steroid (cortisone) injection.** Any relief usually lasts only a short time, and a
                  steroid injected near a tendon may weaken it, so it is used with care and alongside
                  exercise, not instead of it.
                - **A platelet-rich plasma (PRP) injection**, made from your own blood. Whether it helps
                  this condition is still uncertain.
                - **Surgery**, which is rarely needed. It is usually only considered after 6–12 months of
                  well-run rehab has not worked.

                ### 6. Eat well

                Your tendon needs building blocks to repair. Eating enough **protein** and getting enough
                **vitamin C** (found in fruit and vegetables) supports tissue repair. If you have questions
                about your diet or supplements, ask your GP or a dietitian.

                ### 7. Look after your mind

                Pain that lasts a long time can be tiring. Feeling frustrated, low, or worried about hurting
                it again is very common and completely understandable. Please tell your care team how you are
                feeling, because support is available and it can make a real difference to your recovery.

                ### Your home programme

                - At first, the gentle holding and buttock exercises are usually done **twice a day**, every
                  day. Strength exercises are usually done **once a day on two to four days a week**, so
                  the tendon has rest days to adapt. Your plan shows how often to do each one.
                - As you improve, the twice-a-day exercises **drop to once a day**. Your clinician will
                  help you decide when.
                - Once you have recovered, keep a short **maintenance routine** going, for example by adding a
                  few of your exercises to your weekly workouts. This helps keep your strength and lowers the
                  chance of the problem coming back.

                ### Where the advice differs

                Health sources do not all agree on some points. We want to be honest about that, so here is
                where they differ. Please talk these through with your clinician before you decide.

                - **Ice or heat?** Some sources suggest ice on the sore area for short-term pain relief.
                  Others now suggest avoiding ice and using gentle heat on the muscle at the back of the thigh
                  instead. Neither one fixes the tendon. Ask your clinician what suits you, and always protect
                  your skin.
                - **Anti-inflammatory medicines?** Some sources suggest them for pain early on. Others advise
                  against them, because they may slow tendon healing, and they are not safe for everyone. This
                  portal does not recommend any medicine. Please speak to your GP or a pharmacist before
                  taking anything for the pain.
                - **Stretching early on?** Some programmes include gentle hamstring stretches from the start.
                  Others say to avoid them in the early stages, because stretching pulls on the irritated
                  tendon. This portal follows the more cautious approach: no stretching of the tendon early
                  on, and only a gentle bent-knee stretch later if your clinician chooses it, never into pain.
                """
            ),
        },
        {
            "kind": "phases",
            "title": "The stages of rehab",
            "body": _md(
                """
                Rehab is usually described in three phases. They overlap, and you move through them at your
                own pace, guided by your symptoms.

                ### Phase 1: settle and protect

                - Ease off the activities that flare up your pain.
                - Start **holding (isometric) exercises**, such as a static bridge hold, which can ease pain.
                - Wake up your buttock muscles with **glute activation** exercises, such as gentle glute
                  squeezes while lying on your front, then lifting the thigh slightly with the knee bent.
                - Your clinician may add a gentle kneeling stretch for the **front of the hip**, because tight
                  hip flexors are thought to stop the glutes from working well.

                ### Phase 2: build strength and mobility

                - Gradually load the tendon more, for example by moving from two-leg to single-leg bridges,
                  bending the knee against a resistance band, and pushing the leg back against a band. Later
                  this may move on to a leg curl machine.
                - Add **slow lowering (eccentric)** work, such as a slow single-leg deadlift, then more
                  **functional** exercises that match everyday movements.
                - Exercises such as deadlifts and good mornings (bending forward from the hips with a straight
                  back) help build lowering strength before running.
                - Keep building **glute and core strength**.

                ### Phase 3: return to sport and stay well

                - Practise **running drills** and follow a **return-to-running plan**. A common starting point
                  is 10–15 minutes of easy running, then 2–3 days' rest, repeating if it stays comfortable
                  before building up.
                - Add harder strength work, such as step-ups and, later, Nordic hamstring curls, if your
                  clinician feels you are ready.
                - Build **resilience**, set up your **workspace and sitting** so that they suit you, and
                  regain **confidence** in your leg.

                ### How the plans on this portal work: four loading stages

                Your exercise plan here splits the same journey into **four stages**. You move on when your
                symptoms allow, not after a set number of days.

                | Stage | What it involves |
                |---|---|
                | 1. Settle | Holding (isometric) exercises and glute activation to calm the tendon |
                | 2. Strength | Strength work with little hip bending, so the tendon is not squashed |
                | 3. Range and control | More hip bending, slow lowering (eccentric) and functional work |
                | 4. Spring and return | Springy exercises that store and release energy; return to running |

                Stage 1 matches phase 1, stages 2 and 3 cover phase 2, and stage 4 matches phase 3.

                ### Using pain as your guide

                Some discomfort during rehab is normal and safe. Score your pain from 0 (none) to 10 (the
                worst you can imagine) during and after your exercises, and compare it with the two limits
                your care team sets for you. Your plan on this portal shows your own limits; many plans
                start with the usual ones given in brackets below, and some people are given lower ones.

                | Pain score | What it means |
                |---|---|
                | Up to your safe limit (often 3 out of 10) | Fine. Carry on. |
                | Between the two (often 4 or 5) | Acceptable if settled by next morning. No harder yet. |
                | Above your upper limit (often above 5) | Too much. Ease back and tell your care team. |

                Also check how you feel **the next morning**. If your pain or stiffness is worse than usual
                the next morning, you did too much the day before. Drop back a little and build up again more
                gently. If you are unsure, ask your clinician.
                """
            ),
        },
        {
            "kind": "care_team",
            "title": "Your care team",
            "body": _md(
                """
                Recovering from tendinopathy can involve several kinds of professional. Not everyone needs all
                of them; your team will suggest who could help you.

                | Discipline | How they can help |
                |---|---|
                | Physiotherapy | Diagnoses the problem, then designs and progresses your loading programme |
                | Chiropractic | Looks at how your pelvis and spine move, and at your posture |
                | Massage therapy | Eases tightness in the hamstrings and buttock muscles |
                | Kinesiology and fitness training | Guides your strength sessions and helps with technique |
                | Nutrition and naturopathic medicine | Advice on eating to support tissue repair |
                | Psychotherapy and coaching | Helps with stress, motivation and fear of injuring it again |

                ### One plan, one team

                The team works from **one coordinated plan**. With your permission, they share notes and refer
                you to one another when needed, so you do not get mixed messages. You are at the centre of
                that plan: tell the team what matters to you and how things are going.
                """
            ),
        },
        {
            "kind": "prevention",
            "title": "Preventing it, and stopping it coming back",
            "body": _md(
                """
                - **Build up gradually.** Change one thing at a time, such as distance, speed or hills, and
                  give your body time to adjust before adding more. Plan easier days for recovery.
                - **Keep your glutes and core strong.** Strong buttock and trunk muscles share the work with
                  your hamstrings.
                - **Watch your sitting habits.** Get up regularly, use a cushion if hard seats bother you, and
                  mix sitting with standing.
                - **Keep a maintenance routine.** Once you are better, keep a few of your rehab exercises in
                  your weekly routine.
                - **Warm up before exercise.** Start gently and build up the pace over several minutes before
                  running or sport.
                - **Look after your general health.** Staying active, and working with your GP to manage
                  conditions such as diabetes, helps your tendons too.
                - **Act early.** If the familiar ache starts to return, ease back a little and restart your
                  exercises rather than pushing through.
                """
            ),
        },
        {
            "kind": "when_to_see",
            "title": "When to see a clinician",
            "body": _md(
                """
                Please book an appointment with a physiotherapist, your GP or another qualified clinician if:

                - your buttock or hamstring pain has **not started to settle after a few days**
                - it has **not improved after two weeks** of easing off
                - it gets in the way of **walking, sitting or sleeping**
                - you notice **bruising or swelling**
                - it keeps coming back, or you are not sure what is causing it

                ### Get help promptly

                Some signs suggest a different problem, such as a tear or a trapped nerve, rather than
                tendinopathy. These need to be checked quickly. Please read the **red flags** on this page,
                which explain what to look out for and what to do.
                """
            ),
        },
    ],
    "red_flags": [
        {
            "sign": "Sudden, severe pain in the back of the thigh or buttock, especially with a pop or snap "
            "at the moment it happened",
            "action": "Stop what you are doing and get assessed promptly, ideally the same day, for "
            "example at an urgent treatment centre or by your GP. This could be a tear, and some tears "
            "are best treated early.",
        },
        {
            "sign": "Marked swelling or bruising at the back of the thigh or buttock",
            "action": "This can be a sign of a tear rather than tendinopathy. Get assessed promptly by "
            "your GP, a physiotherapist or an urgent treatment centre.",
        },
        {
            "sign": "Difficulty standing or putting weight on the leg",
            "action": "Get seen the same day at an urgent treatment centre or A&E.",
        },
        {
            "sign": "Numbness, tingling or pins and needles down the leg, or new weakness in the leg or foot",
            "action": "This may mean a nerve is involved, such as in sciatica, which needs different care. "
            "Contact your GP or physiotherapist soon.",
        },
        {
            "sign": "Pain that started after a fall, a slip or a direct blow",
            "action": "Get assessed promptly. You may need an X-ray to check for a broken bone.",
        },
        {
            "sign": "Numbness around your bottom or genitals, new problems controlling your bladder or "
            "bowel, or numbness or weakness in both legs",
            "action": "This is an emergency. Go to A&E or call 999 straight away.",
        },
        {
            "sign": "Pain at night that wakes you and does not ease when you change position, weight loss "
            "you cannot explain, or a past cancer",
            "action": "These are not typical of tendinopathy. See your GP within a few days so that other "
            "causes can be ruled out.",
        },
        {
            "sign": "Fever or feeling generally unwell with the pain, or a hot, red, swollen area",
            "action": "This may be an infection. Get urgent advice the same day from your GP or NHS 111.",
        },
    ],
    "related": [
        {
            "slug": "hamstring-strain",
            "difference": "A strain is a sudden tear in the muscle, often with a pop and bruising, and "
            "usually heals within weeks. Tendinopathy builds up slowly and can last for months.",
        },
        {
            "slug": "sciatica",
            "difference": "Sciatica is nerve pain that shoots down the leg, often with tingling or numbness. "
            "Tendinopathy is a deep ache at the sitting bone without numbness.",
        },
        {
            "slug": "piriformis-syndrome",
            "difference": "Piriformis syndrome causes pain in the middle of the buttock when a deep hip "
            "muscle irritates the sciatic nerve, rather than pain at the sitting bone.",
        },
        {
            "slug": "gluteal-tendinopathy",
            "difference": "Gluteal tendinopathy affects tendons on the outer side of the hip, not the "
            "sitting bone, and often hurts when lying on that side.",
        },
        {
            "slug": "ischial-bursitis",
            "difference": "Ischial bursitis is irritation of a small fluid-filled cushion over the sitting "
            "bone. It mainly hurts when sitting, less so when running or using the hamstring.",
        },
    ],
    "faqs": [
        {
            "question": "Is this the same as a pulled hamstring?",
            "answer": _md(
                """
                No. A pulled hamstring (a strain) is a sudden tear in the muscle, often during a sprint or a
                kick, and it usually heals within weeks. Tendinopathy builds up slowly in the tendon at the
                sitting bone and tends to take longer to settle. See the related conditions on this page.
                """
            ),
        },
        {
            "question": "Should I stop running completely?",
            "answer": _md(
                """
                Not always. Many people can keep running if they make it easier for a while: shorter, slower,
                flatter runs with no sprinting. The aim is to stay within what your tendon can handle. Your
                clinician can help you find the right level, and your pain score (see the rehab stages) will
                guide you.
                """
            ),
        },
        {
            "question": "Why does sitting hurt so much?",
            "answer": _md(
                """
                When you sit, your weight rests on your sitting bones, which squashes the sore tendon against
                the bone. A sensitive tendon does not like being compressed. A cushion, regular breaks and a
                standing desk can all help.
                """
            ),
        },
        {
            "question": "Will rest fix it?",
            "answer": _md(
                """
                Rest alone rarely does. It can calm the pain, but it does not make the tendon stronger, so the
                pain often comes back when you return to activity. Easing off the things that irritate it,
                while gradually loading the tendon with the right exercises, works better.
                """
            ),
        },
        {
            "question": "Should I stretch my hamstrings?",
            "answer": _md(
                """
                Not early on. Stretching pulls on the irritated tendon and can make it worse, and stretching
                alone rarely solves the problem. Later, your clinician may suggest a gentle stretch with the
                knee bent. If they do, keep it comfortable and never stretch into pain.
                """
            ),
        },
        {
            "question": "Should I use ice or heat?",
            "answer": _md(
                """
                Sources disagree. Some suggest ice for short-term pain relief; others prefer gentle heat on
                the muscle at the back of the thigh. Neither one heals the tendon. Please ask your clinician
                which is right for you, and protect your skin whichever you use.
                """
            ),
        },
        {
            "question": "Can I take anti-inflammatory painkillers?",
            "answer": _md(
                """
                Advice on this differs, and anti-inflammatory medicines are not safe for everyone. This portal
                does not recommend any medicine. Please speak to your GP or a pharmacist before taking
                anything for your pain.
                """
            ),
        },
        {
            "question": "How long will it take to get better?",
            "answer": _md(
                """
                It depends on how severe it is and how long you have had it. As a rough guide, mild cases
                often improve in 6–8 weeks, moderate cases in 3–6 months, and severe cases can take 6–12
                months or longer. Your symptoms, rather than the calendar, decide when you move on.
                """
            ),
        },
        {
            "question": "Is it OK to feel some pain during my exercises?",
            "answer": _md(
                """
                Yes, a little. Your care team sets two limits for you: pain up to the first one (often 3 out
                of 10) is fine, a little above it is acceptable if it has settled by the next morning, and
                pain above the second one (often 5 out of 10) means ease back. Your plan on this portal shows
                your own limits. If your pain or stiffness is worse than usual the next morning, you did too
                much the day before.
                """
            ),
        },
        {
            "question": "Do I need a scan?",
            "answer": _md(
                """
                Usually not. Most people are diagnosed from their history and an examination. An ultrasound or
                MRI may be used if the diagnosis is unclear or the problem is long-standing, and an X-ray may
                be needed after a fall or other injury.
                """
            ),
        },
        {
            "question": "Will I need an injection or an operation?",
            "answer": _md(
                """
                Most people do not. Injections are only considered when symptoms carry on despite good rehab.
                A steroid injection usually eases pain for a short time only and may weaken the tendon, and
                whether PRP injections help is still uncertain. Surgery is rare, and is usually only
                considered after 6–12 months of rehab has not helped.
                """
            ),
        },
        {
            "question": "Can it come back?",
            "answer": _md(
                """
                It can, especially if the things that caused it are not addressed. Keeping up a short
                maintenance routine, building up training gradually and keeping your glutes and core strong
                all help to prevent it returning.
                """
            ),
        },
        {
            "question": "Why do some websites call it tendinitis?",
            "answer": _md(
                """
                "Tendinitis" is an older name that suggests inflammation. We now know the main problem is a
                change in the tendon's structure and in how much load it can take, so "tendinopathy" is the
                more accurate term. The names are often used for the same condition.
                """
            ),
        },
        {
            "question": "I feel fed up and worried about it. Is that normal?",
            "answer": _md(
                """
                Yes. Living with pain for a long time can be frustrating and worrying, and many people fear
                hurting it again. Please tell your care team how you feel. Support such as talking therapy or
                coaching can help, and looking after your mood is part of recovery.
                """
            ),
        },
    ],
    "references": [
        {
            "citation": "Rees JD, Maffulli N, Cook J. BMJ 2009.",
            "doi": "10.1136/bmj.b296",
        },
        {
            "citation": "Rio E, et al. Br J Sports Med 2015.",
            "doi": "10.1136/bjsports-2015-095245",
        },
        {
            "citation": "Rio E, et al. Isometric exercise for acute pain relief in tendinopathy. "
            "Br J Sports Med 2016;50(21):1384–1385.",
            "doi": "10.1136/bjsports-2016-096030",
        },
        {
            "citation": "Lempainen L, et al. Expert opinion: diagnosis and treatment of proximal hamstring "
            "tendinopathy. Muscles Ligaments Tendons J 2015;5(1):23–28.",
            "doi": "",
        },
        {
            "citation": "Fredericson M, et al. High hamstring tendinopathy in runners. "
            "Physician and Sportsmedicine 2005;33(5):32–43.",
            "doi": "",
        },
    ],
}
