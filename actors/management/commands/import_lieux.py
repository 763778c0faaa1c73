"""manage.py import_lieux FILE… [--apply] [--source LABEL] [--format …] [--report report.csv]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from actors.importers import FORMAT_CHOICES, import_file, write_csv

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

    def handle(self, *args, **options):
        reports = []
        for path in options["files"]:
            report = import_file(path, apply=options["apply"], source=options["source"], format=options["format"])
            reports.append(report)
            self.show(report, options["all_problems"])
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8", newline="") as stream:
                write_csv(reports, stream)
            self.stdout.write(_("Rapport détaillé : %(path)s") % {"path": options["report"]})
        if not options["apply"]:
            self.stdout.write(self.style.WARNING(_("Simulation : rien n'a été écrit. Relancez avec --apply.")))
        if any(not report.ok for report in reports):
            self.stdout.write(self.style.ERROR(_("%(count)s fichier(s) refusé(s).") % {
                "count": sum(not report.ok for report in reports)}))

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
