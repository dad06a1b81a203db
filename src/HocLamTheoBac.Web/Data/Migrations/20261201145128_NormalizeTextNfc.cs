using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// Text typed before 01/12/2026 (ADR 0029) could be stored in decomposed form (NFD: a base letter and its combining
    /// accents), which looks the same but escapes the pledge hints' comparison and the searches. Every such value of the
    /// texts people type is composed (NFC) once, each changed row audited with its before and after; issued reports, the
    /// audit itself and sign-in data are left as they are. An indicator whose composed name would equal another indicator
    /// of the same unit and year (the unique key; found by the attack walk) is left as it is.
    /// </summary>
    public partial class NormalizeTextNfc : Migration
    {
        private static readonly (string Table, string Entity, string Org, string[] Columns)[] Texts =
        [
            ("pledges", "Pledge", "branch_id", ["content", "solution", "reason", "evidence_note"]),
            ("collective_pledges", "CollectivePledge", "org_unit_id", ["what", "how", "lead", "result_note"]),
            ("members", "Member", "branch_id", ["full_name", "position"]),
            ("member_grades", "MemberGrade", "branch_id", ["note"]),
            ("org_units", "OrgUnit", "id", ["name"]),
            ("plan_years", "PlanYear", "org_unit_id", ["theme"]),
            ("topics", "Topic", "org_unit_id", ["title", "description"]),
            ("models", "ExemplaryModel", "org_unit_id", ["title", "field", "description", "evidence"]),
            ("model_replications", "ModelReplication", "org_unit_id", ["note"]),
            ("commendations", "Commendation", "org_unit_id", ["issuing_body", "reason"]),
            ("leader_tasks", "LeaderTask", "org_unit_id", ["title", "leader_name", "leader_position", "outcome"]),
            ("pressing_problems", "PressingProblem", "org_unit_id", ["title", "owner", "progress_notes"]),
            ("study_sessions", "StudySession", "org_unit_id", ["theme"]),
            ("indicator_values", "IndicatorValue", "org_unit_id", ["name", "unit"]),
            ("users", "AppUser", "NULL::int", ["full_name"]),
        ];

        private static string Property(string column) => string.Concat(column.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

        /// <summary>One statement per table: the rows with a decomposed value, composed, and an audit row for each.</summary>
        internal static string Normalize((string Table, string Entity, string Org, string[] Columns) t)
        {
            var any = "(" + string.Join(" OR ", t.Columns.Select(c => $"x0.{c} IS NOT NFC NORMALIZED")) + ")";
            // An indicator's name is unique per unit and year: where the same name was also entered composed (or in
            // another decomposed row before it), composing this row would break that key, so it stays as it is.
            if (t.Table == "indicator_values")
                any += """
                     AND NOT EXISTS (SELECT 1 FROM indicator_values y WHERE y.id <> x0.id AND y.org_unit_id = x0.org_unit_id AND y.year = x0.year
                        AND normalize(y.name, NFC) = normalize(x0.name, NFC) AND (y.name IS NFC NORMALIZED OR y.id < x0.id))
                    """;
            var before = string.Join(", ", t.Columns.Select(c => $"'{Property(c)}', CASE WHEN x0.{c} IS NOT NFC NORMALIZED THEN x0.{c} END"));
            var set = string.Join(", ", t.Columns.Select(c => $"{c} = normalize(x.{c}, NFC)"));
            var after = string.Join(", ", t.Columns.Select(c => $"'{Property(c)}', CASE WHEN c.before ? '{Property(c)}' THEN x.{c} END"));
            var org = t.Org.StartsWith("NULL", StringComparison.Ordinal) ? t.Org : $"x0.{t.Org}";
            return $"""
                WITH c AS MATERIALIZED (
                    SELECT x0.id, {org} AS org, jsonb_strip_nulls(jsonb_build_object({before})) AS before
                    FROM {t.Table} x0 WHERE {any}
                    FOR UPDATE OF x0
                ), u AS (
                    UPDATE {t.Table} x SET {set} FROM c WHERE x.id = c.id
                    RETURNING x.id, c.org, c.before, jsonb_strip_nulls(jsonb_build_object({after})) AS after
                )
                INSERT INTO audit_entries (at, actor, action, entity_type, entity_id, org_unit_id, before, after, note)
                SELECT now(), 'Hệ thống (cập nhật phiên bản)', 'Sửa', '{t.Entity}', u.id::text, u.org, u.before, u.after,
                       'Chữ tiếng Việt ghi dạng tổ hợp (NFD) được ghi lại dạng dựng sẵn (NFC); nội dung hiển thị không đổi.'
                FROM u;
                """;
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Texts) migrationBuilder.Sql(Normalize(t));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Composing loses nothing a reader sees; the decomposed form is not restored.
        }
    }
}
