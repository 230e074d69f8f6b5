/* Evidence knowledge base: citation cards.
 *
 * Hovering or keyboard-focusing an in-text citation (a.kb-cite) shows a card
 * with the formatted reference, design and population, copied from the
 * matching #kb-ref-<slug> item of the page's reference list, the stance
 * of the citation (data-kb-stance) and the quote that carries it (the page's
 * own blockquote named by data-kb-quote, with its lang, so screen readers
 * switch language).  Escape closes the card.  On touch, the
 * first tap opens the card and a second tap (or a tap on the card's link)
 * follows the link.
 *
 * No libraries and no requests.  Listeners are delegated to the document and
 * installed once, so the cards keep working after Material's instant
 * navigation swaps the page content; on every new page (Material's document$,
 * or DOMContentLoaded without Material) the card is reset.  Page content is
 * never parsed as HTML: nodes are cloned from the (sanitized) page itself.
 */
(function () {
  "use strict";
  if (window.__kbCards) { return; }
  window.__kbCards = true;

  var TEXT = {
    nl: {
      stance: "Standpunt", more: "Meer over deze bron",
      supports: "ondersteunt", contradicts: "spreekt tegen", qualifies: "nuanceert", mentions: "noemt"
    },
    en: {
      stance: "Stance", more: "More about this source",
      supports: "supports", contradicts: "contradicts", qualifies: "qualifies", mentions: "mentions"
    }
  };
  var SYMBOL = { supports: "\u2714", contradicts: "\u2718", qualifies: "\u2248", mentions: "\u25CB" };
  var CARD_ID = "kb-card";
  var SHOW_DELAY = 120;
  var HIDE_DELAY = 250;

  var card = null;          // the single card element
  var current = null;       // the a.kb-cite the card belongs to
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = "mouse";
  var openAtPointerDown = false;  // was the card already open for the cite being tapped?
  var pointerDownAt = 0;

  function words() {
    var lang = (document.documentElement.getAttribute("lang") || "nl").slice(0, 2).toLowerCase();
    return TEXT[lang] || TEXT.nl;
  }

  function citeOf(node) {
    if (!node || node.nodeType !== 1 || typeof node.closest !== "function") { return null; }
    var a = node.closest("a.kb-cite");
    return a && a.getAttribute("data-kb-ref") ? a : null;
  }

  function inCard(node) {
    return !!(card && node && node.nodeType === 1 && card.contains(node));
  }

  function ensureCard() {
    if (card && card.isConnected) { return card; }
    card = document.getElementById(CARD_ID);
    if (!card) {
      card = document.createElement("div");
      card.id = CARD_ID;
      card.className = "kb-card";
      card.setAttribute("role", "tooltip");
      card.hidden = true;
      document.body.appendChild(card);
    }
    return card;
  }

  function findReference(slug) {
    var id = "kb-ref-" + slug;
    var found = document.getElementById(id);
    if (found) { return found; }
    // ids may have been prefixed by a sanitizer; fall back to a scan
    var items = document.querySelectorAll(".kb-ref, .kb-ref-full");
    for (var i = 0; i < items.length; i++) {
      var itemId = items[i].id || "";
      if (itemId === id || itemId.slice(-id.length - 1) === "-" + id) { return items[i]; }
    }
    return null;
  }

  function cloneChildren(from, to) {
    for (var n = from.firstChild; n; n = n.nextSibling) { to.appendChild(n.cloneNode(true)); }
  }

  /* Split "Opzet: x · Populatie: y" into one line per fact, keeping markup. */
  function metaLines(meta) {
    var lines = [[]];
    for (var n = meta.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        var parts = n.nodeValue.split(/\s+\u00B7\s+/);
        for (var p = 0; p < parts.length; p++) {
          if (p > 0) { lines.push([]); }
          if (parts[p]) { lines[lines.length - 1].push(document.createTextNode(parts[p])); }
        }
      } else {
        lines[lines.length - 1].push(n.cloneNode(true));
      }
    }
    return lines.filter(function (line) {
      return line.some(function (node) { return (node.textContent || "").trim() !== ""; });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function fill(cite) {
    var t = words();
    var box = ensureCard();
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var ref = findReference(cite.getAttribute("data-kb-ref"));
    var textEl = ref && (ref.querySelector(".kb-ref__text") || (ref.classList.contains("kb-ref-full") ? ref : null));

    var text = el("p", "kb-card__ref");
    if (textEl) {
      cloneChildren(textEl, text);
    } else {
      text.textContent = (ref && ref.getAttribute("data-kb-label")) || cite.textContent;
    }
    box.appendChild(text);

    var meta = ref && ref.querySelector(".kb-ref__meta");
    if (meta) {
      var list = el("ul", "kb-card__meta");
      metaLines(meta).forEach(function (line) {
        var li = el("li");
        line.forEach(function (node) { li.appendChild(node); });
        list.appendChild(li);
      });
      if (list.firstChild) { box.appendChild(list); }
    }

    var stance = cite.getAttribute("data-kb-stance");
    if (stance && t[stance]) {
      var row = el("p", "kb-card__stance");
      row.appendChild(document.createTextNode(t.stance + ": "));
      var badge = el("span", "kb-stance kb-stance--" + stance);
      var sym = el("span", null, SYMBOL[stance] || "");
      sym.setAttribute("aria-hidden", "true");
      badge.appendChild(sym);
      badge.appendChild(document.createTextNode(" " + t[stance]));
      row.appendChild(badge);
      box.appendChild(row);
    }

    var quoteId = cite.getAttribute("data-kb-quote");
    var quoteEl = quoteId ? document.getElementById(quoteId) : null;
    if (quoteEl && quoteEl.classList.contains("kb-quote")) {
      var quote = el("blockquote", "kb-card__quote", (quoteEl.textContent || "").trim());
      var qlang = quoteEl.getAttribute("lang");
      if (qlang) { quote.setAttribute("lang", qlang); }
      box.appendChild(quote);
    }

    var more = el("a", "kb-card__more", t.more + " \u2192");
    more.href = cite.href;
    box.appendChild(more);
  }

  function place(cite) {
    if (!card || card.hidden) { return; }
    var r = cite.getBoundingClientRect();
    var vw = document.documentElement.clientWidth || window.innerWidth;
    var vh = window.innerHeight;
    var margin = 8;
    card.style.maxWidth = Math.max(160, Math.min(384, vw - 2 * margin)) + "px";
    var w = card.offsetWidth;
    var h = card.offsetHeight;
    var left = Math.min(Math.max(margin, r.left), Math.max(margin, vw - w - margin));
    var top = r.bottom + 6;
    if (top + h > vh - margin && r.top - h - 6 >= margin) {
      top = r.top - h - 6;
      card.setAttribute("data-kb-side", "above");
    } else {
      card.setAttribute("data-kb-side", "below");
    }
    card.style.left = Math.round(left) + "px";
    card.style.top = Math.round(top) + "px";
  }

  function show(cite) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current === cite && card && !card.hidden) { return; }
    if (current && current !== cite) { current.removeAttribute("aria-describedby"); }
    fill(cite);
    current = cite;
    cite.setAttribute("aria-describedby", CARD_ID);
    card.hidden = false;
    place(cite);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) { current.removeAttribute("aria-describedby"); }
    current = null;
    if (card) { card.hidden = true; }
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function isOpenFor(cite) {
    return !!(card && !card.hidden && current === cite);
  }

  /* -- events (delegated, installed once) ------------------------------- */
  // pointerover precedes the compatibility mouse events: a mouse after a touch hovers again
  document.addEventListener("pointerover", function (e) {
    if (e.pointerType) { lastPointer = e.pointerType; }
  }, true);

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    pointerDownAt = Date.now();
    var tapped = citeOf(e.target);
    openAtPointerDown = !!(tapped && isOpenFor(tapped));
    if (card && !card.hidden && !citeOf(e.target) && !inCard(e.target)) { hide(); }
  }, true);

  document.addEventListener("mouseover", function (e) {
    if (lastPointer === "touch") { return; }
    var cite = citeOf(e.target);
    if (cite) {
      clearTimeout(hideTimer);
      if (!isOpenFor(cite)) {
        clearTimeout(showTimer);
        showTimer = setTimeout(function () { show(cite); }, SHOW_DELAY);
      }
    } else if (inCard(e.target)) {
      clearTimeout(hideTimer);
    }
  });

  document.addEventListener("mouseout", function (e) {
    if (lastPointer === "touch") { return; }
    var from = citeOf(e.target) || (inCard(e.target) ? card : null);
    if (!from) { return; }
    var to = e.relatedTarget;
    if (to && (from.contains(to) || inCard(to) || (current && current.contains(to)))) { return; }
    clearTimeout(showTimer);
    if (card && !card.hidden && document.activeElement !== current) { hideSoon(); }
  });

  document.addEventListener("focusin", function (e) {
    var cite = citeOf(e.target);
    if (cite && lastPointer === "touch" && Date.now() - pointerDownAt < 1000) { return; }  // the tap's click decides
    if (cite) { show(cite); } else if (!inCard(e.target) && card && !card.hidden) { hide(); }
  });

  document.addEventListener("focusout", function (e) {
    var cite = citeOf(e.target);
    if (!cite || cite !== current) { return; }
    var to = e.relatedTarget;
    if (to && inCard(to)) { return; }
    // keep the card while the pointer rests on it or the cite
    if (card && (card.matches(":hover") || cite.matches(":hover"))) { return; }
    hide();
  });

  document.addEventListener("click", function (e) {
    var cite = citeOf(e.target);
    if (!cite) { return; }
    if (lastPointer === "touch" && e.detail !== 0 && !openAtPointerDown) {
      // first tap: show the card instead of following the link
      e.preventDefault();
      e.stopImmediatePropagation();
      show(cite);
    }
  }, true);

  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && card && !card.hidden) {
      var back = current;
      hide();
      if (back && inCard(document.activeElement)) { back.focus(); }
    }
  });

  var pending = false;
  function reposition() {
    if (pending || !card || card.hidden || !current) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (current && current.isConnected) { place(current); } else { hide(); }
    });
  }
  window.addEventListener("scroll", reposition, { passive: true, capture: true });
  window.addEventListener("resize", reposition, { passive: true });

  /* -- keyboard: in-page links move the focus ---------------------------- */
  // Material's instant navigation takes over a click on an in-page link (the skip link, a
  // footnote number, its back-link) and its hash change: it scrolls, but the keyboard focus
  // stays behind or is dropped, so the next Tab starts again from the top.  Such a link is
  // followed here: the address gets the hash, the target gets the focus (and is scrolled to).
  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    var a = e.target && e.target.closest ? e.target.closest("a[href*='#']") : null;
    if (!a || a.pathname !== location.pathname || a.search !== location.search || !a.hash || a.hash.length < 2) {
      return;
    }
    var id;
    try { id = decodeURIComponent(a.hash.slice(1)); } catch (err) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    e.preventDefault();
    e.stopPropagation();
    if (location.hash !== a.hash) { history.pushState(history.state, "", a.hash); }
    if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
    target.scrollIntoView({ block: "start" });
  }, true);

  /* Tables Material wraps in a scroll box (tables in editors' Markdown): a box that scrolls
   * takes keyboard focus and is named after the table's caption or the heading above it. */
  function nameScrollBoxes() {
    var boxes = document.querySelectorAll(".md-typeset .md-typeset__scrollwrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.closest(".kb-table") || box.hasAttribute("tabindex")) { continue; }
      var caption = box.querySelector("caption");
      var name = caption ? caption.textContent : "";
      for (var n = box.previousElementSibling; !name && n; n = n.previousElementSibling) {
        if (/^H[1-6]$/.test(n.tagName)) { name = n.textContent.replace(/\u00B6\s*$/, ""); }
      }
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      box.setAttribute("aria-label", (name || document.title).trim());
    }
  }

  /* -- every new page ---------------------------------------------------- */
  function onPage() {
    hide();
    ensureCard();
    nameScrollBoxes();
    // the theme may wrap its tables after us: once more on the next frame, then the page is ready
    window.requestAnimationFrame(function () {
      try { nameScrollBoxes(); } catch (err) { /* never break the page */ }
      window.__kbPage = location.pathname;  // the page whose content is in place (tests wait for it)
    });
  }

  var doc$ = window.document$;
  if (doc$ && typeof doc$.subscribe === "function") {
    doc$.subscribe(function () {
      try { onPage(); } catch (err) { /* never break Material */ }
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
