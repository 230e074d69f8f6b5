// The claim preview of the browser editor (/admin/): shaped like the site's claim page
// (certainty badge, GRADE profile, every quote beside its stance), in the site's language.
// Written by kb build (generator/pages/cms_admin.py); the words below are filled in then.
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
  CMS.registerPreviewStyle(W.css);
  CMS.registerPreviewTemplate("claims", ClaimPreview);
})();
