"""manage.py import_lieux FILE… [--apply] [--as EMAIL] [--strict] [--confirm-identity-changes] [--source LABEL]
[--format …] [--report report.csv]

Every row stands alone: a rejected row is reported with its reason and the others are written. `--strict`
is all or nothing: one rejected or held row refuses the whole file.

Exit codes (the worst file's): 0 every row written (or already up to date); 2 written, with rejected rows
or rows held for confirmation; 1 nothing written (a file refused, missing or unreadable, every row rejected,
an unknown --as account, or a --report path that cannot be written).
"""

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from actors.imports import FORMAT_CHOICES, import_file, write_csv
from actors.imports.report import admin_link

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = _(
        "Importe des fichiers de lieux (standard national CSV/JSON ou anciens formats). Simulation par défaut : "
        "rien n'est écrit sans --apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FICHIER")
        parser.add_argument("--apply", action="store_true", help=_("Écrire dans la base (sinon : simulation)."))
        parser.add_argument("--source", help=_("Libellé de la source (clé source + id des lieux importés)."))
        parser.add_argument("--format", default="auto", choices=FORMAT_CHOICES)
        parser.add_argument("--report", metavar="RAPPORT.csv", help=_("Écrire le rapport détaillé en CSV."))
        parser.add_argument("--all-problems", action="store_true", help=_("Afficher tous les problèmes par ligne."))
        parser.add_argument("--as", dest="as_user", metavar="COURRIEL",
                            help=_("Importer avec les droits de ce compte de coordination : seuls les lieux de ses "
                                   "territoires peuvent être créés ou modifiés."))
        parser.add_argument("--strict", action="store_true",
                            help=_("Tout ou rien : une ligne rejetée ou en attente de confirmation refuse le "
                                   "fichier entier."))
        parser.add_argument("--confirm-identity-changes", action="store_true",
                            help=_("Écrire aussi les modifications qui changent à la fois le nom et la commune "
                                   "d'un lieu (sinon elles sont listées et retenues)."))

    def handle(self, *args, **options):
        user = None
        if options["as_user"]:
            user = get_user_model().objects.filter(email__iexact=options["as_user"], is_active=True).first()
            if user is None:
                raise CommandError(_("Aucun compte actif pour « %(email)s ».") % {"email": options["as_user"]})
        if options["report"]:
            self.check_report_path(Path(options["report"]))
        reports = []
        for path in options["files"]:
            report = import_file(path, apply=options["apply"], source=options["source"], format=options["format"],
                                 user=user, confirm_identity_changes=options["confirm_identity_changes"],
                                 strict=options["strict"])
            reports.append(report)
            self.show(report, options["all_problems"])
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8", newline="") as stream:
                write_csv(reports, stream)
            self.stdout.write(_("Rapport détaillé : %(path)s") % {"path": options["report"]})
        if not options["apply"]:
            self.stdout.write(self.style.WARNING(_("Simulation : rien n'a été écrit. Relancez avec --apply.")))
        codes = {report.exit_code for report in reports}
        if 1 in codes:
            refused = sum(report.exit_code == 1 for report in reports)
            raise CommandError(_("%(count)s fichier(s) dont rien n'est écrit (refusé, illisible ou toutes les "
                                 "lignes rejetées).") % {"count": refused}, returncode=1)
        if 2 in codes:
            incomplete = sum(report.rejected + len(report.held) for report in reports)
            raise CommandError(_("%(count)s ligne(s) rejetée(s) ou en attente de confirmation ; les autres sont "
                                 "écrites.") % {"count": incomplete}, returncode=2)

    def check_report_path(self, path: Path) -> None:
        """Before anything is written: a report that cannot be saved must not follow a committed import."""
        if path.is_dir():
            raise CommandError(_("Rapport « %(path)s » : c'est un dossier, donnez un nom de fichier.") % {
                "path": path}, returncode=1)
        if not path.parent.is_dir():
            raise CommandError(_("Rapport « %(path)s » : le dossier « %(folder)s » n'existe pas ; rien n'est "
                                 "importé.") % {"path": path, "folder": path.parent}, returncode=1)
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise CommandError(_("Rapport « %(path)s » : écriture impossible (droits d'accès ?) ; rien n'est "
                                 "importé.") % {"path": path}, returncode=1)

    def show(self, report, all_problems: bool) -> None:
        style = self.style.SUCCESS if report.ok else self.style.ERROR
        self.stdout.write(style(report.summary()) + f" [{report.seconds:.1f} s]")
        for note in report.notes:
            self.stdout.write(f"  note : {note}")
        for reason, count in report.top_reasons():
            self.stdout.write(_("  rejet ×%(count)s : %(reason)s") % {"count": count, "reason": reason})
        problems = report.problems if all_problems else report.problems[:SHOWN_PROBLEMS]
        for problem in problems:
            kind = _("rejet") if problem.rejected else _("avertissement")
            self.stdout.write(_("  ligne %(row)s, colonne « %(column)s » (%(kind)s) : %(reason)s") % {
                "row": problem.row, "column": problem.column, "kind": kind, "reason": problem.reason})
        if len(report.problems) > len(problems):
            self.stdout.write(_("  … et %(count)s autres (--all-problems ou --report)") % {
                "count": len(report.problems) - len(problems)})
        for change in report.changes[:SHOWN_PROBLEMS] if not all_problems else report.changes:
            for item in change.changes:
                self.stdout.write(_("  ligne %(row)s, modification de #%(pk)s « %(nom)s », %(field)s : « %(old)s » → "
                                    "« %(new)s »") % {"row": change.row, "pk": change.pk, "nom": change.nom,
                                                     "field": item.field, "old": item.old[:100], "new": item.new[:100]})
        if len(report.changes) > SHOWN_PROBLEMS and not all_problems:
            self.stdout.write(_("  … et %(count)s autres lieux modifiés (--all-problems ou --report)") % {
                "count": len(report.changes) - SHOWN_PROBLEMS})
        for held in report.held:
            self.stdout.write(self.style.WARNING(_(
                "  ligne %(row)s, EN ATTENTE : #%(pk)s « %(old)s » (%(old_commune)s) deviendrait « %(new)s » "
                "(%(new_commune)s) ; relancez avec --confirm-identity-changes pour l'écrire.") % {
                "row": held.row, "pk": held.pk, "old": held.old_nom, "old_commune": held.old_commune,
                "new": held.new_nom, "new_commune": held.new_commune}))
        for name, count in report.ignored_columns.items():
            self.stdout.write(_("  colonne ignorée : %(column)s (%(count)s ligne(s) remplie(s))") % {
                "column": name, "count": count})
        for (column, value), count in report.unmapped.most_common():
            self.stdout.write(_("  non reconnu ×%(count)s, %(column)s : « %(value)s »") % {
                "count": count, "column": column, "value": value[:100]})
        for pair in report.duplicates[:SHOWN_PROBLEMS]:
            self.stdout.write(_("  doublon probable %(score)s : #%(a)s « %(na)s » / #%(b)s « %(nb)s » (%(why)s)") % {
                "score": pair.score, "a": pair.first_id, "na": pair.first_name, "b": pair.second_id,
                "nb": pair.second_name, "why": pair.reasons})
        if len(report.duplicates) > SHOWN_PROBLEMS:
            self.stdout.write(_("  … et %(count)s autres doublons probables") % {
                "count": len(report.duplicates) - SHOWN_PROBLEMS})
        # What changes the public site is always listed; the pairs stored with --all-problems (and in --report).
        for line in report.folding if all_problems else [f for f in report.folding if f.public_change]:
            where = _("ligne %(row)s, ") % {"row": line.row} if line.row else ""
            self.stdout.write(f"  {where}{line.kind} : {line.text} {admin_link(line.link)}".rstrip())
