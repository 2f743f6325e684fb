// Extracts the pseudonymiser's name and place lists into data/ from public npm packages
// pinned in scripts/data_sources/package.json (package-lock.json committed):
//   data/first_names.txt      first names of the @faker-js/faker locales of the origins
//                             common in French schools (MIT, data/LICENSE.faker-js)
//   data/french_communes.txt  names of every French commune, current and delegated, from
//                             @etalab/decoupage-administratif (MIT, data/LICENSE.etalab)
// Run: (cd scripts/data_sources && npm ci) && node scripts/make_data_lists.mjs
// The output is committed; nothing is downloaded at build or run time.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'data_sources', 'package.json'));
const faker = await import(require.resolve('@faker-js/faker'));

const data = join(here, '..', 'data');
const versionOf = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;

// Latin-script locales: France and its neighbours, and the countries French pupils' families
// most often come from (Maghreb and West Africa through fr_SN/fr_BE, Portugal, Spain, Italy,
// Turkey, Vietnam, Poland, Romania, the Balkans, Nigeria, Ghana, Indonesia…).
const locales = ['fr', 'fr_BE', 'fr_CH', 'fr_SN', 'en', 'en_GH', 'en_NG', 'en_IN', 'es', 'pt_PT',
  'pt_BR', 'it', 'de', 'nl', 'tr', 'vi', 'pl', 'ro', 'hr', 'sr_RS_latin', 'cs_CZ', 'sk',
  'uz_UZ_latin', 'id_ID', 'yo_NG', 'af_ZA', 'zu_ZA'];

// A name is kept when it is written in Latin letters (with accents), hyphens or apostrophes.
const latin = /^[A-Za-zÀ-ÖØ-öø-ɏ'’-]+( [A-Za-zÀ-ÖØ-öø-ɏ'’-]+)?$/u;
const names = new Set();
for (const locale of locales) {
  const first = faker[locale]?.person?.first_name;
  if (!first) throw new Error(`locale ${locale} has no first names`);
  for (const list of Object.values(first)) {
    for (const name of list) {
      const n = name.normalize('NFC').trim();
      if (n.length >= 3 && latin.test(n)) names.add(n);
    }
  }
}
const sorted = (set) => [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
writeFileSync(join(data, 'first_names.txt'),
  `# First names, one per line: the Latin-script first names of @faker-js/faker ${versionOf('@faker-js/faker')}\n` +
  `# locales ${locales.join(' ')} (MIT licence, see LICENSE.faker-js).\n` +
  `# Made by scripts/make_data_lists.mjs; used to spot people outside the roster.\n` +
  sorted(names).join('\n') + '\n');

const communes = new Map();  // name -> set of départements
const etalab = dirname(require.resolve('@etalab/decoupage-administratif/package.json'));
for (const c of JSON.parse(readFileSync(join(etalab, 'data', 'communes.json'), 'utf8'))) {
  if (c.type === 'arrondissement-municipal') continue;  // "Paris 1er Arrondissement"
  const name = c.nom.normalize('NFC');
  if (!communes.has(name)) communes.set(name, new Set());
  if (c.departement) communes.get(name).add(c.departement);
}
writeFileSync(join(data, 'french_communes.txt'),
  '# French communes (current, delegated and associated), one per line, from\n' +
  `# @etalab/decoupage-administratif ${versionOf('@etalab/decoupage-administratif')} (MIT licence` + ', see LICENSE.etalab), made by\n' +
  '# scripts/make_data_lists.mjs; used to spot where pupils live. After a tab, the\n' +
  '# départements that have a commune of that name, comma-separated.\n' +
  sorted(new Set(communes.keys())).map((n) => `${n}\t${sorted(communes.get(n)).join(',')}`).join('\n') + '\n');
copyFileSync(join(etalab, 'LICENSE'), join(data, 'LICENSE.etalab'));
console.log(`first_names.txt: ${names.size} names; french_communes.txt: ${communes.size} communes`);
