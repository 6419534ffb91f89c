// The style and script of the illustrated page, inlined into every page so
// that it needs no external resource: the two lanes of RFC 5246 §7.3's message
// flow, the byte grids, printing (@media print), and the field highlighting
// with mouse and keyboard.
#include "illustrate/layout.h"

namespace tls12::illustrate::detail {

std::string_view page_style() {
  return R"CSS(
:root { --client: #1f6feb; --server: #b35900; --hl: #ffe066; --ink: #1b1f24; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1em 1.5em 30vh; }
h1 { margin: .2em 0; } h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .2em; margin-top: 1.6em; }
.subtitle { color: var(--muted); margin: 0 0 .8em; }
.notice { border: 2px solid #cf222e; background: #fff5f5; padding: .6em 1em; border-radius: 6px; }
.summary td, .summary th { text-align: left; padding: .1em .8em .1em 0; }
ol.steps { padding-left: 1.4em; } ol.steps li { margin: .25em 0; }
ol.steps a { margin-left: .4em; font-family: ui-monospace, monospace; font-size: 90%; }
.lanes-head { display: flex; justify-content: space-between; font-weight: bold; margin: .6em 0; }
.lanes-head .c { color: var(--client); } .lanes-head .s { color: var(--server); }
.rec { border: 1px solid #d0d7de; border-radius: 8px; padding: .5em .8em; margin: .8em 0; width: 82%; background: #fff; }
.rec.client { margin-right: auto; border-left: 6px solid var(--client); }
.rec.server { margin-left: auto; border-right: 6px solid var(--server); }
.rec h3 { font-size: 100%; margin: .1em 0 .4em; }
.rec h3 .dir { font-weight: normal; color: var(--muted); }
.rec .step { display: inline-block; background: #eaeef2; border-radius: 1em; padding: 0 .6em; font-size: 85%; margin-left: .3em; }
.parts { display: flex; flex-wrap: wrap; gap: 1.2em; }
.parts h4 { margin: .2em 0; font-size: 85%; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.grid { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; line-height: 1.7; white-space: nowrap; }
.grid .f { border-radius: 3px; padding: 1px 0; cursor: pointer; background: #f3f6f9; }
.grid .c0 { background: #ddf4ff; } .grid .c1 { background: #fff1e5; } .grid .c2 { background: #dafbe1; } .grid .c3 { background: #fbefff; }
.grid .f:focus { outline: 2px solid #0969da; }
.grid .hl, .fields tr.hl { background: var(--hl) !important; }
.grid .u { color: var(--muted); }
.undecoded .reason { color: #cf222e; font-weight: bold; }
.note { color: var(--muted); font-style: italic; margin: .3em 0; font-size: 92%; }
.note.client { text-align: left; } .note.server { text-align: right; }
details.fieldlist summary { cursor: pointer; color: var(--muted); font-size: 90%; }
table.fields { border-collapse: collapse; font-size: 12.5px; margin: .4em 0; width: 100%; }
table.fields td, table.fields th { border-top: 1px solid #eaeef2; padding: .15em .5em; text-align: left; vertical-align: top; }
table.fields td.h, .hex { font-family: ui-monospace, monospace; word-break: break-all; }
table.fields td.v { max-width: 28em; word-break: break-word; }
.calc { border: 1px dashed #8c959f; border-radius: 8px; padding: .4em .8em; margin: .8em 0; }
.calc h3 { margin: .2em 0; font-size: 105%; }
.calc table { border-collapse: collapse; font-size: 13px; }
.calc th { text-align: left; padding: .15em 1em .15em 0; vertical-align: top; white-space: nowrap; }
.rec-calc { margin: .5em 0 .2em; }
.redacted { color: #8250df; font-style: italic; }
pre.appdata { background: #f6f8fa; padding: .4em .6em; border-radius: 6px; white-space: pre-wrap; word-break: break-all; max-height: 16em; overflow: auto; }
#info { position: fixed; left: 0; right: 0; bottom: 0; background: #1b1f24; color: #fff; padding: .6em 1.5em; min-height: 4.2em; font-size: 14px; }
#info .n { font-weight: bold; font-family: ui-monospace, monospace; }
#info .r { color: #8ddb8c; margin-left: 1em; }
#info .v { display: block; font-family: ui-monospace, monospace; word-break: break-all; max-height: 5em; overflow: auto; }
@media print {
  #info { display: none; }
  body { padding: 0; max-width: none; font-size: 11px; }
  .rec, .calc { break-inside: avoid; }
  details.fieldlist > *:not(summary) { display: block; }
  /* A closed <details> hides its content in its own slot, which the rule above
     cannot reach; ::details-content is that slot. */
  details.fieldlist::details-content { content-visibility: visible; display: contents; }
  .grid .f { background: none !important; }
}
)CSS";
}

std::string_view page_script() {
  return R"JS(
(function () {
  var info = document.getElementById('info');
  var fields = Array.prototype.slice.call(document.querySelectorAll('.grid .f'));
  function show(el) {
    Array.prototype.forEach.call(document.querySelectorAll('.hl'), function (e) { e.classList.remove('hl'); });
    var id = el.getAttribute('data-f');
    Array.prototype.forEach.call(document.querySelectorAll('[data-f="' + id + '"]'), function (e) { e.classList.add('hl'); });
    info.querySelector('.n').textContent = el.getAttribute('data-name');
    info.querySelector('.r').textContent = el.getAttribute('data-rfc');
    info.querySelector('.v').textContent = el.getAttribute('data-value');
  }
  fields.forEach(function (el, i) {
    el.addEventListener('mouseover', function () { show(el); });
    el.addEventListener('focus', function () { show(el); });
    el.addEventListener('keydown', function (ev) {
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key] || 0;
      if (!step) return;
      ev.preventDefault();
      var next = fields[i + step];
      if (next) next.focus();
    });
  });
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details.fieldlist'), function (d) { d.open = true; });
  });
})();
)JS";
}

}  // namespace tls12::illustrate::detail
