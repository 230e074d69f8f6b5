// kb's additions to the browser editor (/admin/), written by kb build (generator/pages/cms_admin.py),
// which fills in the words below:
// * the widget of a GRADE domain: a bare `no` or {rating, reason}, both as kb reads them, so a domain
//   written `risk_of_bias: no` opens as "geen" and is saved as it was;
// * before a save, optional fields the editor emptied are left out (kb check refuses an empty text),
//   and the form's "reason for the change" is taken out of the file and into the commit message
//   as its `Reden:` trailer (Decap's message templates know only the collection and the file);
// * the claim preview, shaped like the site's claim page (certainty badge, GRADE profile, every quote
//   beside its stance), in the site's language.
(function () {
  "use strict";
  var W = /*KB_WORDS*/null;
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS || !h || !createClass || !W) { return; }

  function get(map, key) {
    var value = map && map.get ? map.get(key) : undefined;
    return value === undefined || value === null ? "" : value;
  }
  function plain(value) { return value && value.toJS ? value.toJS() : value; }

  function badge(certainty) {
    return h("span", {className: "kb-certainty kb-certainty--" + certainty},
             h("span", {"aria-hidden": "true"}, W.symbols[certainty] || ""), " ", W.certainty[certainty] || certainty);
  }
  function stance(value) {
    return h("span", {className: "kb-stance kb-stance--" + value, title: W.stance_meaning[value] || ""},
             h("span", {"aria-hidden": "true"}, W.stance_symbols[value] || ""), " ", W.stance[value] || value);
  }
  function domainRow(name, value) {
    var judged = plain(value);
    var rating = judged && typeof judged === "object" ? judged.rating : judged;
    var reason = judged && typeof judged === "object" ? judged.reason : "";
    if (rating === false) { rating = "no"; }
    if (!rating) { return null; }
    if (W.upgrade.indexOf(name) !== -1 && rating === "no") { return null; }
    return h("tr", {key: name, className: "kb-profile__row kb-profile__row--" + rating},
             h("th", {scope: "row"}, W.domains[name] || name), h("td", null, W.ratings[rating] || rating),
             h("td", null, reason || ""));
  }
  function profile(grade, certainty) {
    if (!grade || !grade.get) { return null; }
    if (grade.get("applicable") === false) {
      return h("p", null, h("strong", null, W.words.grade_not_applicable + ": "), get(grade, "reason"));
    }
    var rows = [h("tr", {key: "start"}, h("th", {scope: "row"}, W.words.grade_start),
                  h("td", null, W.start[get(grade, "start")] || get(grade, "start")), h("td", null, ""))];
    W.order.forEach(function (name) { var row = domainRow(name, grade.get(name)); if (row) { rows.push(row); } });
    rows.push(h("tr", {key: "result"}, h("th", {scope: "row"}, W.words.grade_result),
                h("td", {colSpan: 2}, certainty ? badge(certainty) : "")));
    return h("table", {className: "kb-profile"},
             h("thead", null, h("tr", null, h("th", {scope: "col"}, W.words.domain),
                                h("th", {scope: "col"}, W.words.judgement), h("th", {scope: "col"}, W.words.reason))),
             h("tbody", null, rows));
  }
  function evidenceItem(item, index) {
    var parts = [stance(get(item, "stance")), " ", h("cite", null, W.sources[get(item, "source")] || get(item, "source"))];
    if (get(item, "locator")) { parts.push(", " + get(item, "locator")); }
    if (get(item, "participants")) { parts.push(" · " + W.words.participants.toLowerCase() + ": " + get(item, "participants")); }
    return h("li", {key: index}, h("p", null, parts),
             get(item, "quote") ? h("blockquote", {className: "kb-quote"}, h("p", null, "“" + get(item, "quote") + "”")) : null,
             get(item, "note") ? h("p", null, get(item, "note")) : null);
  }

  var ClaimPreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var certainty = get(data, "certainty");
      var evidence = data.get("evidence");
      var items = evidence && evidence.map ? evidence.toArray().map(evidenceItem) : [];
      var type = get(data, "type");
      return h("article", {className: "md-content__inner md-typeset kb-cms-preview", lang: W.lang},
        h("h1", null, get(data, "statement")),
        h("p", null, h("strong", null, W.words.certainty + ": "), certainty ? badge(certainty) : "",
          get(data, "certainty_reason") ? " — " + get(data, "certainty_reason") : ""),
        h("p", null, h("strong", null, W.words.type + ": "), W.types[type] || type,
          get(data, "population") ? " · " + W.words.population + ": " + get(data, "population") : ""),
        h("p", null, h("strong", null, W.words.reviewed + ": "), String(get(data, "reviewed"))),
        data.get("grade") ? h("h2", null, W.words.grade_profile) : null,
        profile(data.get("grade"), certainty),
        h("h2", null, W.words.evidence),
        h("ul", {className: "kb-evidence"}, items),
        get(data, "body") ? h("h2", null, W.words.note) : null,
        get(data, "body") ? this.props.widgetFor("body") : null);
    }
  });
  // -- the GRADE domain widget ------------------------------------------------------------
  function judged(value) {
    var plainValue = plain(value);
    if (plainValue === false) { plainValue = "no"; }
    if (typeof plainValue === "string") { return {rating: plainValue, reason: ""}; }
    if (plainValue && typeof plainValue === "object") {
      return {rating: plainValue.rating === false ? "no" : (plainValue.rating || ""), reason: plainValue.reason || ""};
    }
    return {rating: "", reason: ""};
  }
  var GradeDomain = createClass({
    change: function (rating, reason) {
      var text = reason || "";
      if (!rating && !text.trim()) { this.props.onChange(null); return; }  // left out on save
      if (rating === "no" && !text.trim()) { this.props.onChange("no"); return; }  // as kb's files write it
      var next = {rating: rating};
      if (text.trim()) { next.reason = text; }
      this.props.onChange(next);
    },
    render: function () {
      var self = this, field = this.props.field, id = this.props.forID;
      var parts = plain(field.get("parts")) || [];
      var ratingPart = parts[0] || {}, reasonPart = parts[1] || {};
      var now = judged(this.props.value);
      var options = [h("option", {key: "", value: ""}, "—")].concat((ratingPart.options || []).map(function (o) {
        return h("option", {key: o.value, value: o.value}, o.label);
      }));
      var box = {width: "100%", boxSizing: "border-box", padding: "0.5em", font: "inherit"};
      return h("div", {className: this.props.classNameWrapper + " kb-grade-domain",
                       style: {display: "grid", gridTemplateColumns: "7em 1fr", gap: "0.6em 1em", alignItems: "start"}},
        h("label", {htmlFor: id}, ratingPart.label),
        h("select", {id: id, value: now.rating, title: ratingPart.hint, style: box,
                     onChange: function (e) { self.change(e.target.value, now.reason); }}, options),
        h("label", {htmlFor: id + "-reason"}, reasonPart.label),
        h("textarea", {id: id + "-reason", value: now.reason, rows: 3, title: reasonPart.hint, style: box,
                       onChange: function (e) { self.change(now.rating, e.target.value); }}));
    }
  });
  CMS.registerWidget("kb-grade-domain", GradeDomain);

  // -- before a save: emptied optional fields are left out, the reason goes to the commit --------
  function empty(value) { return value === null || value === undefined || value === ""; }
  function prune(map) { return map && map.filter ? map.filter(function (v) { return !empty(v); }) : map; }
  var reason = null;  // from preSave to the backend's persistEntry, which Decap calls right after it
  function withReason(message) {
    if (!reason) { return message; }
    var line = W.reason_trailer + " " + reason.replace(/\s+/g, " ").trim();
    var paragraphs = String(message || "").split("\n\n");
    var last = paragraphs[paragraphs.length - 1];
    if (last.indexOf(W.reason_trailer) === 0) { paragraphs[paragraphs.length - 1] = line; } else { paragraphs.push(line); }
    return paragraphs.join("\n\n");
  }
  // Decap offers no hook on the commit message: wrap persistEntry of the backends it may use
  ["github", "proxy"].forEach(function (name) {
    var backend = CMS.getBackend(name);
    if (!backend || !backend.init) { return; }
    var init = backend.init;
    backend.init = function () {
      var made = init.apply(null, arguments);
      var persist = made.persistEntry.bind(made);
      made.persistEntry = function (entry, options) {
        var message = withReason(options && options.commitMessage);
        reason = null;
        return persist(entry, Object.assign({}, options, {commitMessage: message}));
      };
      return made;
    };
  });
  CMS.registerEventListener({name: "preSave", handler: function (args) {
    var data = args.entry.get("data");
    reason = data.get(W.reason_field) || null;
    data = prune(data.delete(W.reason_field));
    ["grade"].forEach(function (name) { if (data.get(name) && data.get(name).filter) { data = data.set(name, prune(data.get(name))); } });
    ["evidence", "suppress"].forEach(function (name) {
      var items = data.get(name);
      if (items && items.map && items.toArray) { data = data.set(name, items.map(prune)); }
    });
    return data;
  }});

  CMS.registerPreviewStyle(W.css);
  CMS.registerPreviewTemplate("claims", ClaimPreview);
})();
