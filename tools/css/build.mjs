// make css: trims the vendored Bootstrap to what the portal's pages use, and writes the result next to it in
// static/vendor/bootstrap/ (committed, so nothing is built at deploy or run time).
//
// 1. bootstrap.trimmed.min.js: only the Bootstrap plugins that the templates and the portal's scripts use
//    (data-bs-toggle="collapse", data-bs-dismiss="alert", bootstrap.Modal, ...), bundled from Bootstrap's
//    sources with esbuild. Its first line lists them.
// 2. bootstrap.trimmed.min.css: the vendored bootstrap.min.css less every rule whose selectors name no class,
//    tag, id or attribute found in the templates (ours and crispy-forms' bootstrap5 pack), the Python code
//    (form widgets, classes chosen in views), the portal's scripts and the trimmed Bootstrap JS above.
//
// Re-run it after adding a template or a class; tests/portal/test_static_assets.py fails when a template uses
// a Bootstrap class that the trimmed file lacks.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";
import fg from "fast-glob";
import { PurgeCSS } from "purgecss";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const vendor = join(root, "static", "vendor", "bootstrap");
const require = createRequire(import.meta.url);

function fail(message) {
  console.error(`ERROR: ${message}`);
  process.exit(1);
}

// The JS is built from the npm package's sources, so it must be the same release as the vendored CSS.
const vendoredCss = readFileSync(join(vendor, "bootstrap.min.css"), "utf8");
const vendoredVersion = vendoredCss.match(/Bootstrap\s+v(\d+\.\d+\.\d+)/)?.[1];
const npmVersion = require("bootstrap/package.json").version;
if (vendoredVersion !== npmVersion) {
  fail(`static/vendor/bootstrap is Bootstrap ${vendoredVersion}, tools/css/package.json has ${npmVersion}`);
}

// crispy-forms renders every form, so its bootstrap5 templates and the classes its Python adds count too.
const sitePackages = fg.sync(".venv/lib/python*/site-packages", { cwd: root, onlyDirectories: true, dot: true });
if (sitePackages.length !== 1) {
  fail("no .venv with crispy-bootstrap5 found: run `make run` or `make test` once to create it");
}
const crispy = ["crispy_forms", "crispy_bootstrap5"].map((name) => `${sitePackages[0]}/${name}/**/*.{html,py}`);

const ours = fg.sync(
  [
    "templates/**/*.html",
    "*/templates/**/*.html",
    "*/**/*.py", // widget attrs and classes chosen in Python
    "static/**/*.js",
  ],
  {
    cwd: root,
    ignore: ["tests/**", "bench/**", "tools/**", "var/**", "staticfiles/**", "**/migrations/**", "static/vendor/**"],
  },
);
const read = (file) => readFileSync(join(root, file), "utf8");
const ourPython = ours.filter((file) => file.endsWith(".py")).map(read).join("\n");
// The templates of crispy's layout objects count only when a form of ours builds one, or every page would
// carry the CSS and JS of tabs, accordions and modals that no page shows.
const layoutObjectTemplates = {
  "bootstrap5/accordion.html": ["Accordion", "BS5Accordion"],
  "bootstrap5/accordion-group.html": ["AccordionGroup", "Accordion", "BS5Accordion"],
  "bootstrap5/layout/alert.html": ["Alert"],
  "bootstrap5/layout/modal.html": ["Modal"],
  "bootstrap5/layout/tab.html": ["TabHolder", "Tab"],
  "bootstrap5/layout/tab-link.html": ["TabHolder", "Tab"],
  "bootstrap5/layout/switch.html": ["Switch"],
  "bootstrap5/layout/floating_field.html": ["FloatingField"],
  "bootstrap5/layout/prepended_appended_text.html": ["PrependedText", "AppendedText", "PrependedAppendedText"],
  "bootstrap5/layout/field_with_buttons.html": ["FieldWithButtons"],
  "bootstrap5/layout/uneditable_input.html": ["UneditableField"],
};
const importedFromCrispy = new Set();
for (const [, names] of ourPython.matchAll(/from crispy_\w+(?:\.\w+)* import \(?([\w\s,]+)\)?/g)) {
  for (const name of names.split(",")) importedFromCrispy.add(name.trim());
}
const usedByOurForms = (file) => {
  const layoutObject = Object.keys(layoutObjectTemplates).find((template) => file.endsWith(`/${template}`));
  return !layoutObject || layoutObjectTemplates[layoutObject].some((name) => importedFromCrispy.has(name));
};
const crispyFiles = fg.sync(crispy, { cwd: root, dot: true }).filter(usedByOurForms);
if (!crispyFiles.some((file) => file.endsWith("crispy_bootstrap5/templates/bootstrap5/field.html"))) {
  fail(`crispy-bootstrap5's templates are missing from ${sitePackages[0]}`);
}
const contentFiles = [...ours, ...crispyFiles].map((file) => join(root, file));
const sourceText = [...ours, ...crispyFiles].map(read).join("\n");

// --- 1. JS: which plugins the pages use -------------------------------------------------------------------
const pluginFor = {
  alert: "alert",
  button: "button",
  carousel: "carousel",
  collapse: "collapse",
  dropdown: "dropdown",
  list: "tab",
  modal: "modal",
  offcanvas: "offcanvas",
  pill: "tab",
  popover: "popover",
  scroll: "scrollspy",
  scrollspy: "scrollspy",
  tab: "tab",
  toast: "toast",
  tooltip: "tooltip",
};
const plugins = new Set();
for (const [, value] of sourceText.matchAll(/data-bs-(?:toggle|dismiss|spy|ride)=["']?([a-z]+)/g)) {
  if (!pluginFor[value]) fail(`unknown Bootstrap data attribute value "${value}"`);
  plugins.add(pluginFor[value]);
}
for (const [, name] of sourceText.matchAll(/\bbootstrap\.([A-Z][a-zA-Z]+)/g)) {
  const plugin = pluginFor[name.toLowerCase()];
  if (plugin) plugins.add(plugin);
}
const pluginList = [...plugins].sort();
const entry = pluginList
  .map((plugin) => `export { default as ${plugin[0].toUpperCase() + plugin.slice(1)} } from "bootstrap/js/src/${plugin}.js";`)
  .join("\n");
const jsPath = join(vendor, "bootstrap.trimmed.min.js");
const withPopper = ["dropdown", "popover", "tooltip"].some((plugin) => plugins.has(plugin));
const popperVersion = require("@popperjs/core/package.json").version;
const banner =
  `/*! Bootstrap v${npmVersion} plugins: ${pluginList.join(", ") || "none"}` +
  `${withPopper ? ` (with Popper v${popperVersion})` : ""} | MIT licences | built by make css (tools/css/build.mjs) */`;
const js = await esbuild.build({
  stdin: { contents: entry || "export {};", resolveDir: join(root, "tools", "css"), loader: "js" },
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "bootstrap",
  target: ["es2019"],
  legalComments: "none",
  banner: { js: banner },
  write: false,
});
writeFileSync(jsPath, js.outputFiles[0].text);

// --- 2. CSS -------------------------------------------------------------------------------------------------
// Classes no file names literally: Django message levels become alert-<tag> in base.html (error is shown as
// danger), and those that Bootstrap's JS adds or an attribute it sets at run time.
const messageAlerts = ["debug", "info", "success", "warning", "danger"].map((tag) => `alert-${tag}`);
const setByScript = ["show", "showing", "hiding", "collapsing", "fade", "active", "disabled"];
const [css] = await new PurgeCSS().purge({
  content: [...contentFiles, jsPath],
  css: [join(vendor, "bootstrap.min.css")],
  safelist: {
    standard: [...messageAlerts, ...setByScript, "is-invalid", "invalid-feedback"],
    greedy: [/data-bs-popper/],
  },
  keyframes: true,
  fontFace: true,
});
const cssPath = join(vendor, "bootstrap.trimmed.min.css");
// PurgeCSS keeps the licence comment; collapse the newlines it leaves between rules.
writeFileSync(cssPath, css.css.replace(/\n+/g, "\n").trim() + "\n");

const kb = (path) => (readFileSync(path).length / 1024).toFixed(1);
console.log(`Scanned ${contentFiles.length} files (${ours.length} of the portal's, ${crispyFiles.length} of crispy-forms').`);
console.log(`${relative(root, jsPath)}: ${kb(jsPath)} KB (plugins: ${pluginList.join(", ") || "none"}; the full bundle is ${kb(join(vendor, "bootstrap.bundle.min.js"))} KB)`);
console.log(`${relative(root, cssPath)}: ${kb(cssPath)} KB (bootstrap.min.css is ${kb(join(vendor, "bootstrap.min.css"))} KB)`);
if (!existsSync(cssPath) || !existsSync(jsPath)) fail("the trimmed files were not written");
