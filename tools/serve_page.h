// The search page hark serve answers at /: one self-contained HTML document (no network
// beyond the server's own /search and /thread) that calls the JSON API.
#ifndef HARK_TOOLS_SERVE_PAGE_H_
#define HARK_TOOLS_SERVE_PAGE_H_

namespace hark::tools {

inline constexpr char kSearchPage[] = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hark search</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
form{display:flex;flex-wrap:wrap;gap:.5em;margin-bottom:1em}
input,select,button{font:inherit;padding:.3em .5em}
input[name=q]{flex:1 1 20em}
.hit{border-bottom:1px solid #ddd;padding:.6em 0}
.meta{color:#666;font-size:.85em}
.thread{margin:.5em 0 0 1.5em;border-left:3px solid #ccd;padding-left:.8em}
.err{color:#a00}
b{background:#fe8}
</style></head><body>
<h1>hark search</h1>
<form id="f">
<input name="q" placeholder="words, &quot;a phrase&quot;, brand:x, 2017-10-01..2017-10-31" autofocus>
<input name="brand" placeholder="brand" size="10">
<input name="from" placeholder="from (YYYY-MM-DD)" size="14">
<input name="to" placeholder="to" size="10">
<select name="sort"><option value="">relevance</option><option>newest</option><option>oldest</option></select>
<button>Search</button>
</form>
<div id="summary" class="meta"></div>
<div id="hits"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
// Xapian's snippets are escaped text with <b> around matches: keep only those.
function snippet(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const out = el("span");
  for (const n of t.content.childNodes) {
    if (n.nodeType === 3) out.appendChild(document.createTextNode(n.textContent));
    else if (n.nodeName === "B") out.appendChild(el("b", null, n.textContent));
    else out.appendChild(document.createTextNode(n.textContent || ""));
  }
  return out;
}
function meta(m) {
  return [m.time, m.author, m.role, m.brand, m.channel, m.source + ":" + m.id].filter(Boolean).join(" · ");
}
async function getJson(url) {
  const r = await fetch(url);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
async function showThread(hit, box) {
  if (box.firstChild) { box.textContent = ""; return; }
  try {
    const t = await getJson("/thread?id=" + encodeURIComponent(hit.id) + "&source=" + encodeURIComponent(hit.source));
    for (const m of t.messages || []) {
      const d = el("div", "hit");
      d.appendChild(el("div", "meta", meta(m)));
      d.appendChild(el("div", null, m.text));
      box.appendChild(d);
    }
  } catch (e) { box.appendChild(el("div", "err", String(e.message))); }
}
async function search(ev) {
  if (ev) ev.preventDefault();
  const p = new URLSearchParams();
  for (const [k, v] of new FormData($("f"))) if (v) p.append(k, v);
  p.append("limit", "20");
  $("hits").textContent = "";
  try {
    const j = await getJson("/search?" + p.toString());
    $("summary").textContent = j.total + " messages" + (j.exact ? "" : " (about)") + ", generation " + j.generation;
    for (const h of j.hits) {
      const d = el("div", "hit");
      d.appendChild(el("div", "meta", meta(h)));
      d.appendChild(snippet(h.snippet || h.text));
      const more = el("a", null, " thread");
      more.href = "#";
      const box = el("div", "thread");
      more.onclick = (e) => { e.preventDefault(); showThread(h, box); };
      d.appendChild(more);
      d.appendChild(box);
      $("hits").appendChild(d);
    }
  } catch (e) { $("summary").textContent = ""; $("hits").appendChild(el("div", "err", String(e.message))); }
}
$("f").addEventListener("submit", search);
</script></body></html>
)HTML";

}  // namespace hark::tools

#endif  // HARK_TOOLS_SERVE_PAGE_H_
