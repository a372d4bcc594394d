// The exercise player (templates/rehab/player.html). Without this module the page is the session's list of
// exercises with the log form at its end; with it, one exercise at a time: a countdown for each hold and its
// rest, a set and rep counter for the others, the screen kept awake, then the same form, filled in with the
// sets done. The timer is told to screen readers only at moments that matter (start, halfway, the last three
// seconds, done, rest over), never every second.

function setUpPlayer(root) {
  const sections = [...root.querySelectorAll("[data-player-step]")];
  const intro = root.querySelector("[data-player-intro]");
  const finish = root.querySelector("[data-player-finish]");
  const form = root.querySelector("[data-player-form]");
  const question = root.querySelector("[data-player-question]");
  const announcer = root.querySelector("[data-player-announce]");
  const awake = screenKeptAwake();
  const announce = announcerFor(announcer);

  root.querySelectorAll("[data-player-nojs]").forEach((element) => {
    element.hidden = true;
  });
  root.querySelectorAll("[data-player-jsonly]").forEach((element) => {
    element.hidden = false;
  });

  const steps = sections.map(
    (section, index) =>
      new ExerciseStep(section, {
        announce,
        first: index === 0,
        last: index === sections.length - 1,
        onNext: () => show(index + 1),
        onPrevious: () => show(index - 1),
      }),
  );
  let current = null;

  function show(index) {
    if (current !== null) {
      steps[current].leave();
    }
    intro.hidden = true;
    if (index >= steps.length) {
      showFinish();
      return;
    }
    current = index;
    awake.keep();
    sections.forEach((section, position) => {
      section.hidden = position !== index;
    });
    finish.hidden = true;
    steps[index].enter();
  }

  function showFinish({ resume = false } = {}) {
    if (current !== null) {
      steps[current].leave();
    }
    awake.release();
    sections.forEach((section) => {
      section.hidden = true;
    });
    steps.forEach((step) => step.writeInto(form));
    finish.hidden = false;
    const answered = resume || !question;
    form.hidden = !answered;
    if (question) {
      question.querySelector("[data-player-jsonly]").hidden = answered;
    }
    const errors = finish.querySelector("[data-player-errors]");
    (errors || finish.querySelector("#finish-heading")).focus();
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-player-action]");
    if (!button) {
      return;
    }
    const action = button.dataset.playerAction;
    if (action === "start") {
      show(0);
    } else if (action === "back") {
      show(steps.length - 1);
    } else if (action === "extra-yes") {
      form.hidden = false;
      button.closest("[data-player-jsonly]").hidden = true;
      form.querySelector("#done-heading").focus();
    }
  });

  if (root.hasAttribute("data-player-resume")) {
    // The form came back with errors: straight to it, with what was sent.
    showFinish({ resume: true });
  } else {
    intro.hidden = false;
    sections.forEach((section) => {
      section.hidden = true;
    });
    finish.hidden = true;
  }
}

// One exercise: a hold timer ("5 × 45 s, rest 2 min") when it is held without repetitions, else a set and
// rep counter. Phases: ready (hold not started), holding, paused, counting (repetitions), resting, done.
class ExerciseStep {
  constructor(section, { announce, first, last, onNext, onPrevious }) {
    const data = section.dataset;
    this.section = section;
    this.announce = announce;
    this.last = last;
    this.kind = data.kind;
    this.name = data.name;
    this.key = data.key;
    this.sets = Number(data.sets) || 1;
    this.reps = Number(data.reps) || 0;
    this.hold = Number(data.hold) || 0;
    this.rest = Number(data.rest) || 0;
    this.setsDone = 0;
    this.repsDone = 0;
    this.changed = false;
    this.timer = null;
    this.ignoreUntil = 0;
    this.phase = this.kind === "hold" ? "ready" : "counting";

    const find = (selector) => section.querySelector(selector);
    this.heading = find("h2");
    this.controls = find("[data-player-controls]");
    this.status = find("[data-player-status]");
    this.clock = find("[data-player-clock]");
    this.bar = find("[data-player-bar]");
    this.primary = find('[data-player-action="primary"]');
    this.secondary = find('[data-player-action="secondary"]');
    this.undo = find('[data-player-action="undo"]');
    this.next = find('[data-player-action="next"]');
    this.nextLabel = this.next.textContent;
    find('[data-player-action="previous"]').hidden = first;

    this.primary.addEventListener("click", () => this.onPrimary());
    this.secondary.addEventListener("click", () => this.onSecondary());
    this.undo.addEventListener("click", () => this.onUndo());
    this.next.addEventListener("click", onNext);
    find('[data-player-action="previous"]').addEventListener("click", onPrevious);
    this.onNext = onNext;
    this.controls.hidden = false;
    this.render();
  }

  get setNumber() {
    return Math.min(this.setsDone + 1, this.sets);
  }

  enter() {
    this.render();
    this.heading.focus();
  }

  // Leaving the step pauses a hold and ends a rest, so nothing runs out of sight.
  leave() {
    if (this.phase === "holding") {
      this.pauseHold();
    } else if (this.phase === "resting") {
      this.timer.stop();
      this.phase = this.kind === "hold" ? "ready" : "counting";
    }
    this.render();
  }

  onPrimary() {
    if (performance.now() < this.ignoreUntil) {
      return; // a quick second tap after the last rep must not skip the rest straight away
    }
    if (this.phase === "ready") {
      this.startHold();
    } else if (this.phase === "holding") {
      if (this.pauseHold()) {
        this.announce(`Paused, ${words(this.timer.secondsLeft)} left.`);
      }
    } else if (this.phase === "paused") {
      this.phase = "holding";
      this.timer.start();
      this.announce(`Going again, ${words(this.timer.secondsLeft)} left.`);
    } else if (this.phase === "counting") {
      this.repsDone += 1;
      if (this.reps && this.repsDone >= this.reps) {
        this.finishSet();
        this.ignoreUntil = performance.now() + 800;
        return;
      }
      this.announce(this.reps ? `${this.repsDone} of ${this.reps}` : `${this.repsDone}`);
    } else if (this.phase === "resting") {
      this.timer.stop();
      this.endRest("Rest skipped.");
      return;
    } else if (this.phase === "done") {
      this.onNext();
      return;
    }
    this.render();
  }

  onSecondary() {
    if (this.phase === "holding" || this.phase === "paused" || this.phase === "counting") {
      if (this.timer) {
        this.timer.stop();
      }
      this.finishSet();
    }
  }

  onUndo() {
    if (this.phase === "counting" && this.repsDone > 0) {
      this.repsDone -= 1;
      this.announce(this.reps ? `${this.repsDone} of ${this.reps}` : `${this.repsDone}`);
      this.render();
    }
  }

  // Pausing reads the clock one last time; when the hold ran out just then, it is done instead of paused.
  pauseHold() {
    this.timer.pause();
    if (this.phase === "holding") {
      this.phase = "paused";
      return true;
    }
    return false;
  }

  startHold() {
    this.phase = "holding";
    const halfway = Math.floor(this.hold / 2);
    this.timer = new Countdown(this.hold, {
      onSecond: (left) => {
        if (left === halfway && this.hold >= 10) {
          this.announce(`Halfway, ${words(left)} left.`);
        } else if (left <= 3 && left > 0 && this.hold >= 6) {
          this.announce(String(left));
        }
        this.render();
      },
      onEnd: () => this.finishSet(),
    });
    this.announce(`Set ${this.setNumber} of ${this.sets}: hold for ${words(this.hold)}.`);
    this.timer.start();
    this.render();
  }

  finishSet() {
    this.setsDone = Math.min(this.setsDone + 1, this.sets);
    this.repsDone = 0;
    this.changed = true;
    const what = this.kind === "hold" ? "Hold done." : `Set ${this.setsDone} of ${this.sets} done.`;
    if (this.setsDone >= this.sets) {
      this.phase = "done";
      const then = this.last ? "That was the last exercise." : "On to the next exercise when you are ready.";
      this.announce(`${what} ${this.name} finished. ${then}`);
    } else if (this.rest > 0) {
      this.phase = "resting";
      this.timer = new Countdown(this.rest, {
        onSecond: (left) => {
          if (left === 10 && this.rest >= 30) {
            this.announce("10 seconds of rest left.");
          }
          this.render();
        },
        onEnd: () => this.endRest("Rest over."),
      });
      this.announce(`${what} Rest for ${words(this.rest)}.`);
      this.timer.start();
    } else {
      this.phase = this.kind === "hold" ? "ready" : "counting";
      this.announce(`${what} ${this.nextSetWords()}`);
    }
    this.render();
  }

  endRest(what) {
    this.phase = this.kind === "hold" ? "ready" : "counting";
    this.announce(`${what} ${this.nextSetWords()}`);
    this.render();
  }

  nextSetWords() {
    const set = `Set ${this.setNumber} of ${this.sets}`;
    return this.kind === "hold" ? `${set}: get into position, then start the hold.` : `${set}.`;
  }

  // What the form at the end says about this exercise: ticked with the sets done, once a set is done here.
  writeInto(form) {
    if (!this.changed) {
      return;
    }
    this.changed = false;
    const done = form.querySelector(`[data-player-done="${this.key}"]`);
    const sets = form.querySelector(`[data-player-sets="${this.key}"]`);
    done.checked = this.setsDone > 0;
    if (this.setsDone > 0) {
      sets.value = String(this.setsDone);
    }
  }

  render() {
    const phase = this.phase;
    const timerShown = phase === "holding" || phase === "paused" || phase === "resting";
    const left = timerShown ? this.timer.secondsLeft : this.hold;
    this.section.classList.toggle("player-resting", phase === "resting");
    this.section.classList.toggle("player-ending", phase === "holding" && left <= 3);

    if (phase === "done") {
      this.status.textContent = `All ${this.sets} set${this.sets === 1 ? "" : "s"} done`;
      this.clock.textContent = "Done";
    } else if (phase === "resting") {
      this.status.textContent = `Rest before set ${this.setNumber} of ${this.sets}`;
      this.clock.textContent = clock(left);
    } else if (this.kind === "hold") {
      const state = { ready: "get into position", holding: "hold", paused: "paused" }[phase];
      this.status.textContent = `Set ${this.setNumber} of ${this.sets}: ${state}`;
      this.clock.textContent = clock(left);
    } else {
      this.status.textContent = `Set ${this.setNumber} of ${this.sets}`;
      this.clock.textContent = this.reps ? `${this.repsDone} of ${this.reps}` : String(this.repsDone);
    }
    const share = timerShown ? this.timer.share : phase === "done" ? 0 : 1;
    this.bar.style.width = `${Math.round(share * 100)}%`;

    this.primary.textContent = {
      ready: "Start the hold",
      holding: "Pause",
      paused: "Go on with the hold",
      counting: "+1 rep",
      resting: "Skip the rest",
      done: this.last ? "Finish: say how it went" : "Next exercise",
    }[phase];
    const secondary = {
      holding: "End this hold now",
      paused: "End this hold now",
      counting: "This set is done",
    }[phase];
    this.setHidden(this.secondary, !secondary);
    this.secondary.textContent = secondary || "";
    this.setHidden(this.undo, !(phase === "counting" && this.repsDone > 0));
    this.setHidden(this.next, phase === "done");
  }

  // Hiding the button that has the focus would drop the focus on the page: hand it to the main button.
  setHidden(element, hidden) {
    if (hidden && document.activeElement === element) {
      this.primary.focus();
    }
    element.hidden = hidden;
  }
}

// A countdown that keeps to the clock even when the browser slows timers down in the background.
class Countdown {
  constructor(seconds, { onSecond, onEnd }) {
    this.total = seconds * 1000;
    this.left = this.total;
    this.onSecond = onSecond;
    this.onEnd = onEnd;
    this.interval = null;
    this.endsAt = 0;
    this.lastSecond = seconds;
  }

  get secondsLeft() {
    return Math.ceil(this.left / 1000);
  }

  get share() {
    return this.total ? this.left / this.total : 0;
  }

  start() {
    this.endsAt = performance.now() + this.left;
    this.interval = window.setInterval(() => this.tick(), 200);
  }

  pause() {
    this.tick();
    this.stop();
  }

  stop() {
    window.clearInterval(this.interval);
    this.interval = null;
  }

  tick() {
    if (this.interval === null) {
      return;
    }
    this.left = Math.max(0, this.endsAt - performance.now());
    const second = this.secondsLeft;
    if (this.left === 0) {
      this.stop();
      this.onEnd();
    } else if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.onSecond(second);
    }
  }
}

// The Screen Wake Lock API where the browser has it: the screen stays on while an exercise is shown, and the
// lock comes back when the patient returns to the tab (the browser drops it when the tab is hidden).
function screenKeptAwake() {
  let lock = null;
  let wanted = false;

  async function request() {
    if (!("wakeLock" in navigator) || lock !== null || document.visibilityState !== "visible") {
      return;
    }
    try {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => {
        lock = null;
      });
    } catch {
      lock = null; // refused (battery saver, policy): the player works without it
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (wanted) {
      request();
    }
  });

  return {
    keep() {
      wanted = true;
      request();
    },
    release() {
      wanted = false;
      if (lock !== null) {
        lock.release().catch(() => {});
        lock = null;
      }
    },
  };
}

// Polite announcements through one live region; the same words twice in a row are still read out.
function announcerFor(region) {
  let flip = false;
  return (text) => {
    flip = !flip;
    region.textContent = flip ? text : `${text}\u00a0`;
  };
}

function clock(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

function words(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) {
    parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  }
  if (rest || !minutes) {
    parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  }
  return parts.join(" ");
}

// Last, once the classes above are defined (a class cannot be used before its declaration runs).
const player = document.querySelector("[data-player]");
if (player) {
  setUpPlayer(player);
}
