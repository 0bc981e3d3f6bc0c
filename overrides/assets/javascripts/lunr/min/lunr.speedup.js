/*
 * Sổ tay: faster building and searching of Material's lunr index, with the same results: the same
 * index, the same scores. Material's search worker builds the whole index when the reader starts
 * a search on a page, and searches it at every keystroke; on a phone, with a thousand pages,
 * lunr's own Builder and query loop took seconds for the one and up to seconds for the other.
 *
 * Loaded by lunr.vi.min.js (importScripts), which uses lunr.speedup.scoreClauses when it is there
 * and lunr's own query loop when it is not; the Builder methods replace lunr's. Readable source,
 * not minified. Each replacement was checked against lunr's own on the handbook and on synthetic
 * content of 1,000 pages: the same serialised index, the same results and scores.
 */
(function (lunr) {
  "use strict";

  if (typeof lunr === "undefined" || lunr.speedup) {
    return;
  }

  /*
   * Building the index, at the first search of every page opened: lunr's Builder converts each
   * token to text again for every lookup and inserts each word into each section's vector one by
   * one (with the Vietnamese twins, twice as many words). The same index is built here with each
   * token read once and each vector sorted once.
   */
  // lunr's own, for comparison (tests/test_search_speed.py)
  var replaced = { add: lunr.Builder.prototype.add, createFieldVectors: lunr.Builder.prototype.createFieldVectors };

  lunr.Builder.prototype.add = function (doc, attributes) {
    var ref = doc[this._ref];
    var fields = Object.keys(this._fields);
    var whitelist = this.metadataWhitelist;
    this._documents[ref] = attributes || {};
    this.documentCount += 1;
    for (var f = 0; f < fields.length; f++) {
      var name = fields[f];
      var extractor = this._fields[name].extractor;
      var tokens = this.pipeline.run(this.tokenizer(extractor ? extractor(doc) : doc[name], { fields: [name] }));
      var fieldRef = new lunr.FieldRef(ref, name);
      var frequencies = Object.create(null);
      this.fieldTermFrequencies[fieldRef] = frequencies;
      this.fieldLengths[fieldRef] = tokens.length;
      for (var t = 0; t < tokens.length; t++) {
        var token = tokens[t];
        var term = token.toString();
        frequencies[term] = (frequencies[term] || 0) + 1;
        var posting = this.invertedIndex[term];
        if (posting === undefined) {
          posting = this.invertedIndex[term] = Object.create(null);
          posting._index = this.termIndex++;
          for (var k = 0; k < fields.length; k++) {
            posting[fields[k]] = Object.create(null);
          }
        }
        var entry = posting[name][ref] || (posting[name][ref] = Object.create(null));
        for (var w = 0; w < whitelist.length; w++) {
          (entry[whitelist[w]] || (entry[whitelist[w]] = [])).push(token.metadata[whitelist[w]]);
        }
      }
    }
  };

  lunr.Builder.prototype.createFieldVectors = function () {
    var vectors = {};
    var idf = Object.create(null);
    var k1 = this._k1;
    var b = this._b;
    Object.keys(this.fieldTermFrequencies).forEach(function (key) {
      var fieldRef = lunr.FieldRef.fromString(key);
      var field = fieldRef.fieldName;
      var length = this.fieldLengths[fieldRef];
      var frequencies = this.fieldTermFrequencies[fieldRef];
      var boost = this._fields[field].boost || 1;
      var docBoost = this._documents[fieldRef.docRef].boost || 1;
      var pairs = Object.keys(frequencies).map(function (term) {
        var posting = this.invertedIndex[term];
        var weight = idf[term] === undefined ? (idf[term] = lunr.idf(posting, this.documentCount)) : idf[term];
        var tf = frequencies[term];
        var score = weight * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / this.averageFieldLength[field])) + tf);
        score = score * boost * docBoost;
        return [posting._index, Math.round(score * 1000) / 1000];
      }, this).sort(function (x, y) { return x[0] - y[0]; });
      var elements = new Array(pairs.length * 2);
      pairs.forEach(function (pair, i) {
        elements[2 * i] = pair[0];
        elements[2 * i + 1] = pair[1];
      });
      vectors[fieldRef] = new lunr.Vector(elements);
    }, this);
    this.fieldVectors = vectors;
  };


  /*
   * Lunr's own loop makes a set of every section each word is in and a match record per section
   * and field, for thousands of sections at each keystroke. This one scores the same way (per
   * field, the query's vector dotted with the section's, over the length of the query's vector;
   * required and prohibited words as lunr has them) and notes for each section only which words
   * matched where; the match data lunr would give is built for the results kept. Queries with
   * edit distances ("word~1") or only prohibited words go to lunr's loop (lunr.vi.min.js).
   * expand(index, term) gives the indexed words a term with wildcards stands for.
   */
  function scoreClauses(index, query, expand) {
    var presence = lunr.Query.presence;
    var vectors = Object.create(null);
    var wanted = new Map();
    var required = Object.create(null);
    var prohibited = new Set();
    query.clauses.forEach(function (clause) {
      var terms = clause.usePipeline ? index.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      var matched = new Set();
      var missing = false;
      terms.forEach(function (term) {
        var words = /\*/.test(term) ? expand(index, term) : term in index.invertedIndex ? [term] : [];
        missing = missing || words.length === 0;
        words.forEach(function (word) {
          var posting = index.invertedIndex[word];
          clause.fields.forEach(function (field) {
            var refs = posting[field];
            if (clause.presence !== presence.OPTIONAL) {
              var into = clause.presence === presence.REQUIRED ? matched : prohibited;
              for (var ref in refs) {
                into.add(ref);
              }
              if (into === prohibited) {
                return;
              }
            }
            var vector = vectors[field] || (vectors[field] = new Map());
            vector.set(posting._index, (vector.get(posting._index) || 0) + clause.boost);
            wanted.set(word + "/" + field, [word, field]);
          });
        });
      });
      if (clause.presence === presence.REQUIRED) {
        clause.fields.forEach(function (field) {
          var known = required[field];
          required[field] = missing ? new Set() : known ? new Set(Array.from(known).filter(matched.has, matched)) : matched;
        });
      }
    });
    var requiredSets = Object.keys(required).map(function (field) { return required[field]; });
    var docs = new Map();
    wanted.forEach(function (pair) {
      var word = pair[0];
      var field = pair[1];
      var posting = index.invertedIndex[word];
      var termIndex = posting._index;
      var vector = vectors[field];
      var length = 0;
      vector.forEach(function (boost) { length += boost * boost; });
      var weight = length ? vector.get(termIndex) / Math.sqrt(length) : 0;
      var sections = fieldVectors(index, field);
      var refs = posting[field];
      for (var ref in refs) {
        if ((prohibited.size && prohibited.has(ref)) || (requiredSets.length && !inAll(requiredSets, ref))) {
          continue;
        }
        var doc = docs.get(ref);
        if (doc === undefined) {
          docs.set(ref, doc = { ref: ref, score: 0, matches: [] });
        }
        doc.score += weight * valueAt(sections.get(ref), termIndex);
        doc.matches.push(word, field, refs[ref]);
      }
    });
    return Array.from(docs.values());
  }

  function inAll(sets, ref) {
    for (var i = 0; i < sets.length; i++) {
      if (!sets[i].has(ref)) {
        return false;
      }
    }
    return true;
  }

  /* Each section's vector in one field (lunr keys them "field/section"), read once per index. */
  function fieldVectors(index, field) {
    var byField = index.sotayVectors || (index.sotayVectors = Object.create(null));
    if (!byField[field]) {
      var sections = byField[field] = new Map();
      var prefix = field + lunr.FieldRef.joiner;
      Object.keys(index.fieldVectors).forEach(function (key) {
        if (key.startsWith(prefix)) {
          sections.set(key.slice(prefix.length), index.fieldVectors[key].elements);
        }
      });
    }
    return byField[field];
  }

  /* The value at a term's index in a vector's elements (index, value, index, value ... sorted). */
  function valueAt(elements, termIndex) {
    var low = 0;
    var high = elements ? elements.length / 2 - 1 : -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      var at = elements[2 * middle];
      if (at === termIndex) {
        return elements[2 * middle + 1];
      }
      if (at < termIndex) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return 0;
  }


  lunr.speedup = { scoreClauses: scoreClauses, replaced: replaced };
})(self.lunr);
