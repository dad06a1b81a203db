namespace HocLamTheoBac.Web.Data.Synthetic;

/// <summary>What to build: members at the end, how many years ending with <see cref="LastYear"/>, the seed, the root code.
/// Every year's plans are closed at its end, unless <see cref="OpenLastYear"/>: then the last year is still open (no
/// closing date), as the current year is, so that its grid can be edited and its figures are as of today
/// (<see cref="Today"/>, when it falls in that year): nobody is admitted or transferred after that day, as in a real
/// open year (a future-dated admission or transfer is an exception, not a twelfth of the year's admissions).</summary>
public sealed record SyntheticOptions(int Members, int Years, int Seed, int LastYear, string Code = "SYN", bool OpenLastYear = false, DateOnly? Today = null)
{
    public int FirstYear => LastYear - Years + 1;

    /// <summary>The last day on which members are admitted or transferred: today in an open last year, else its 31/12.</summary>
    public DateOnly LastDay => OpenLastYear && Today is { } t && t.Year == LastYear ? t : new DateOnly(LastYear, 12, 31);
}

/// <summary>The first free id of every table the province is written to (client-side ids, see SyntheticLoader).</summary>
public sealed record IdBase(int Unit, long Placement, int Member, long Period, int Pledge, int Collective, int Model,
    int Quota, int Commendation, int Session, int Problem, int PlanYear, int Topic)
{
    public static IdBase Ones { get; } = new(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
}

public readonly record struct UnitRow(int Id, string Code, string Name, int KindId, int? ParentId, string Path, int FoundedYear, bool IsBranch);
public readonly record struct MemberRow(int Id, string FullName, DateOnly BirthDate, short Gender, string CardNumber, DateOnly AdmittedOn, DateOnly? OfficialOn, string Position, int BranchId, string Phone);
public readonly record struct PeriodRow(long Id, int MemberId, int BranchId, DateOnly From, DateOnly? To);
public readonly record struct PledgeRow(int Id, int MemberId, int BranchId, int Year, string Content, string Solution, DateOnly Deadline, int? TopicId, short Status, string? Reason, DateTime ReportedAt, DateTime VerifiedAt);
public readonly record struct CollectiveRow(int Id, int UnitId, int Year, short Category, string What, string How, string Lead, DateOnly Deadline, short Status);
public readonly record struct ModelRow(int Id, int UnitId, int Year, short Kind, int? MemberId, string Title, string Field, DateOnly StartDate, short Status);
public readonly record struct QuotaRow(int Id, int SetBy, int Year, int KindId, int MinCollective, int MinExemplar);
public readonly record struct CommendationRow(int Id, int UnitId, int Year, short Level, int? RecipientUnitId, int? RecipientMemberId, string IssuingBody, string DecisionNumber, DateOnly DecisionDate, int? ModelId, string Reason);
public readonly record struct SessionRow(int Id, int UnitId, int Year, DateOnly HeldOn, string Theme, short Format);
public readonly record struct AttendanceRow(int SessionId, int MemberId, short Status);
public readonly record struct ProblemRow(int Id, int UnitId, int Year, string Title, string Owner, DateOnly Deadline, short Outcome, DateOnly? ResolvedOn);
public readonly record struct PlanYearRow(int Id, int UnitId, int Year, string Theme, string PlanNumber, DateOnly PlanDate, DateOnly Deadline, DateTime? ClosedAt);
public readonly record struct TopicRow(int Id, int UnitId, int Year, short Kind, string Title);

/// <summary>
/// A realistic province built in memory from a seed: a dozen city/district/bloc committees,
/// grassroots committees, branches of skewed size, members with Vietnamese names, and closed
/// years of pledges (≈97,8 % done), collective plans, models against quota, commendations,
/// study sessions with attendance and pressing problems. Same options and ids → same rows.
/// </summary>
public sealed class SyntheticProvince
{
    public List<UnitRow> Units { get; } = [];
    public List<MemberRow> Members { get; } = [];
    public List<PeriodRow> Periods { get; } = [];
    public List<PledgeRow> Pledges { get; } = [];
    public List<CollectiveRow> Collective { get; } = [];
    public List<ModelRow> Models { get; } = [];
    public List<QuotaRow> Quotas { get; } = [];
    public List<CommendationRow> Commendations { get; } = [];
    public List<SessionRow> Sessions { get; } = [];
    public List<AttendanceRow> Attendances { get; } = [];
    public List<ProblemRow> Problems { get; } = [];
    public List<PlanYearRow> PlanYears { get; } = [];
    public List<TopicRow> Topics { get; } = [];

    public const double DoneShare = 0.978;

    private static readonly (string Name, int Weight)[] FamilyNames =
    [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 50), ("Vũ", 40), ("Phan", 40), ("Đặng", 25),
        ("Bùi", 25), ("Đỗ", 20), ("Hồ", 15), ("Ngô", 15), ("Dương", 12), ("Lý", 10), ("Ma", 8), ("Nông", 8), ("Hà", 8),
        ("Triệu", 6), ("Lò", 4), ("Đinh", 6), ("Lương", 5), ("Mai", 4), ("Tạ", 3), ("Chu", 3),
    ];
    private static readonly string[] MaleMiddle = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Xuân", "Thanh", "Ngọc", "Quang", "Mạnh", "Trọng"];
    private static readonly string[] FemaleMiddle = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Kim", "Thanh", "Hồng", "Phương", "Minh"];
    private static readonly string[] MaleGiven = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Kiên", "Long", "Lâm", "Minh", "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Đông", "Hoàng"];
    private static readonly string[] FemaleGiven = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Hồng", "Nhàn"];
    private static readonly string[] Places = ["Phan Thiết", "Minh Xuân", "Tân Quang", "Ỷ La", "Hưng Thành", "Nông Tiến", "Tràng Đà", "An Tường", "Lưỡng Vượng", "Đội Cấn", "Thái Long", "An Khang", "Kim Phú", "Trung Môn", "Chân Sơn", "Lang Quán", "Tứ Quận", "Phúc Ninh", "Thắng Quân", "Nhữ Hán", "Hùng Lợi", "Trung Minh", "Kiến Thiết", "Tân Long", "Mỹ Bằng", "Hoàng Khai", "Đạo Viện", "Công Đa", "Kim Quan", "Xuân Vân"];
    private static readonly string[] Districts = ["Yên Sơn", "Sơn Dương", "Hàm Yên", "Chiêm Hóa", "Na Hang", "Lâm Bình", "Hoàng Su Phì", "Vị Xuyên", "Bắc Quang", "Quang Bình", "Xín Mần", "Đồng Văn", "Mèo Vạc", "Yên Minh", "Quản Bạ", "Bắc Mê"];
    private static readonly string[] PledgeContents =
    [
        "Thực hiện tốt cải cách thủ tục hành chính, không để hồ sơ trễ hẹn", "Tham gia ngày Chủ nhật xanh, giữ gìn vệ sinh môi trường khu dân cư",
        "Không sử dụng túi ni lông khó phân hủy trong sinh hoạt gia đình", "Tiết kiệm điện, nước và văn phòng phẩm tại cơ quan",
        "Gương mẫu chấp hành quy định nơi cư trú, vận động gia đình cùng thực hiện", "Đọc và chia sẻ ít nhất một cuốn sách về Bác mỗi quý",
        "Thăm hỏi, giúp đỡ hộ nghèo trong tổ dân phố", "Ứng dụng công nghệ thông tin, xử lý văn bản trên môi trường mạng",
        "Nâng cao chất lượng giờ dạy, đổi mới phương pháp giảng dạy", "Tận tình, chu đáo với người bệnh, không gây phiền hà",
        "Vận động nhân dân hiến đất làm đường giao thông nông thôn", "Tham gia quỹ Hũ gạo tiết kiệm giúp học sinh nghèo",
        "Phát triển kinh tế hộ gia đình, trồng rừng gỗ lớn", "Giữ gìn đoàn kết nội bộ, tự phê bình và phê bình nghiêm túc",
        "Đi đầu trong phân loại rác thải tại nguồn", "Tham gia tuần tra, giữ gìn an ninh trật tự thôn xóm",
    ];
    private static readonly string[] Solutions = ["Lập kế hoạch theo tháng, báo cáo chi bộ tại buổi sinh hoạt định kỳ", "Phối hợp với các đoàn thể, vận động gia đình cùng thực hiện", "Tự theo dõi, ghi chép kết quả và chia sẻ kinh nghiệm", "Đăng ký với chi bộ, chịu sự giám sát của quần chúng"];
    private static readonly string[] ModelTitles = ["Ngày Chủ nhật xanh", "Hũ gạo tiết kiệm", "Con đường hoa", "Dân vận khéo", "Tuyến phố văn minh", "Chi bộ 4 tốt", "Camera an ninh khu dân cư", "Góc sách về Bác", "Xanh - sạch - đẹp", "Một cửa thân thiện"];
    private static readonly string[] ModelFields = ["Môi trường", "An sinh xã hội", "Cải cách hành chính", "Dân vận", "An ninh trật tự", "Văn hóa", "Kinh tế"];
    private static readonly string[] ProblemTitles = ["Rác thải sinh hoạt tồn đọng ở khu dân cư", "Lấn chiếm hành lang giao thông", "Chậm giải quyết hồ sơ đất đai", "Đơn thư khiếu nại kéo dài", "Ô nhiễm nguồn nước sinh hoạt", "Tình trạng tảo hôn ở vùng cao"];
    private static readonly string[] Positions = ["Đảng viên", "Đảng viên", "Đảng viên", "Đảng viên", "Chi ủy viên", "Trưởng thôn", "Giáo viên", "Công chức", "Cựu chiến binh", "Đoàn viên thanh niên"];

    /// <summary>
    /// Builds the province. <paramref name="kinds"/> maps org_kinds.code to id (the kinds are data seeded by migration 0001).
    /// </summary>
    public static SyntheticProvince Build(SyntheticOptions o, IdBase ids, IReadOnlyDictionary<string, int> kinds)
    {
        if (o.Members < 50) throw new ArgumentOutOfRangeException(nameof(o), "at least 50 members");
        if (o.Years is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(o), "1 to 10 years");
        var p = new SyntheticProvince();
        p.Generate(o, ids, kinds);
        return p;
    }

    private void Generate(SyntheticOptions o, IdBase ids, IReadOnlyDictionary<string, int> kinds)
    {
        var rnd = new Random(o.Seed);
        var founded = o.FirstYear - 5;
        var n = o.Members;
        var committeeCount = Math.Max(2, (int)Math.Round(n / 26_667.0));
        var grassrootsCount = Math.Max(committeeCount * 2, (int)Math.Round(n / 533.0));
        var branchCount = Math.Max(grassrootsCount * 2, (int)Math.Round(n / 80.0));

        int unitId = ids.Unit;
        var province = AddUnit(unitId++, o.Code, "Tỉnh ủy tỉnh mẫu (dữ liệu tổng hợp)", kinds["tinh-uy"], null, "", founded, false);

        // City/district/bloc committees: one city, two blocs (when there are enough), the rest districts.
        var committees = new List<UnitRow>();
        for (var c = 0; c < committeeCount; c++)
        {
            var (kind, name) = c == 0 ? ("huyen-uy", "Thành ủy thành phố mẫu")
                : c == 1 && committeeCount >= 4 ? ("dang-uy-khoi", "Đảng ủy Khối các cơ quan tỉnh")
                : c == 2 && committeeCount >= 4 ? ("dang-uy-khoi", "Đảng ủy Khối doanh nghiệp tỉnh")
                : ("huyen-uy", $"Huyện ủy {Districts[c % Districts.Length]}{(c >= Districts.Length ? $" {c / Districts.Length + 1}" : "")}");
            committees.Add(AddUnit(unitId++, $"{o.Code}-{c + 1:00}", name, kinds[kind], province, founded, false));
        }

        // Grassroots units under committees (skewed): about one in ten is a grassroots branch holding members itself.
        var committeeWeights = committees.Select(_ => LogNormal(rnd, 0.5)).ToArray();
        var grassroots = new List<UnitRow>();
        var perCommittee = new int[committeeCount];
        for (var g = 0; g < grassrootsCount; g++)
        {
            var ci = g < committeeCount ? g : Pick(rnd, committeeWeights);
            var parent = committees[ci];
            var seq = ++perCommittee[ci];
            var isBranch = rnd.NextDouble() < 0.1;
            var bloc = parent.KindId == kinds["dang-uy-khoi"];
            var place = Places[rnd.Next(Places.Length)];
            var (kind, name) = isBranch ? ("chi-bo-co-so", bloc ? $"Chi bộ Sở {place}" : $"Chi bộ Trường THCS {place}")
                : bloc ? (rnd.Next(2) == 0 ? ("dang-uy-co-quan", $"Đảng ủy cơ quan Sở {place}") : ("dang-uy-doanh-nghiep", $"Đảng ủy Công ty {place}"))
                : rnd.NextDouble() < 0.8 ? ("dang-uy-phuong-xa", rnd.Next(3) == 0 ? $"Đảng ủy phường {place}" : $"Đảng ủy xã {place}")
                : ("dang-uy-co-quan", $"Đảng ủy cơ quan Ủy ban nhân dân {place}");
            grassroots.Add(AddUnit(unitId++, $"{parent.Code}-{seq:000}", name, kinds[kind], parent, founded, isBranch));
        }

        // Branches: every grassroots committee gets at least one, the rest go by a skewed weight.
        var committeesBelow = grassroots.Where(g => !g.IsBranch).ToList();
        var branches = grassroots.Where(g => g.IsBranch).ToList();
        var remaining = Math.Max(committeesBelow.Count, branchCount - branches.Count);
        var gWeights = committeesBelow.Select(_ => LogNormal(rnd, 0.6)).ToArray();
        var perGrassroots = new int[committeesBelow.Count];
        var branchKind = kinds["chi-bo-truc-thuoc"];
        for (var b = 0; b < remaining; b++)
        {
            var gi = b < committeesBelow.Count ? b : Pick(rnd, gWeights);
            var parent = committeesBelow[gi];
            var seq = ++perGrassroots[gi];
            var name = parent.KindId == kinds["dang-uy-phuong-xa"]
                ? (parent.Name.Contains("phường", StringComparison.Ordinal) ? $"Chi bộ Tổ dân phố {seq}" : $"Chi bộ thôn {Places[rnd.Next(Places.Length)]} {seq}")
                : $"Chi bộ {(rnd.Next(2) == 0 ? "Phòng" : "Bộ phận")} số {seq}";
            branches.Add(AddUnit(unitId++, $"{parent.Code}-{seq:00}", name, branchKind, parent, founded, true));
        }

        // Branch sizes: at least 3 each, the rest split by a log-normal weight (a few large branches, many small).
        var sizes = new int[branches.Count];
        var minSize = Math.Min(3, n / branches.Count);
        var weights = branches.Select(_ => LogNormal(rnd, 0.8)).ToArray();
        var total = weights.Sum();
        var rest = n - minSize * branches.Count;
        var assigned = 0;
        for (var i = 0; i < sizes.Length; i++) { sizes[i] = minSize + (int)(rest * weights[i] / total); assigned += sizes[i]; }
        for (var i = 0; assigned < n; i = (i + 1) % sizes.Length) { sizes[i]++; assigned++; }

        // Members and their branch periods (about 1 % transferred once).
        int memberId = ids.Member;
        long periodId = ids.Period;
        var branchMembers = new (int First, int Count)[branches.Count];
        var dayOne = o.LastDay;
        for (var bi = 0; bi < branches.Count; bi++)
        {
            branchMembers[bi] = (memberId, sizes[bi]);
            for (var k = 0; k < sizes[bi]; k++)
            {
                var female = rnd.NextDouble() < 0.38;
                var birth = new DateOnly(1950 + rnd.Next(53), 1 + rnd.Next(12), 1 + rnd.Next(28));
                var admittedYear = Math.Min(o.LastYear, birth.Year + 20 + rnd.Next(26));
                var admitted = new DateOnly(admittedYear, 1 + rnd.Next(12), 1 + rnd.Next(28));
                // An open year: a day drawn after today is folded back into the days before it (same draws, same seed).
                if (admitted > dayOne) admitted = DateOnly.FromDayNumber(dayOne.DayNumber - (admitted.DayNumber - dayOne.DayNumber) % dayOne.DayOfYear);
                var official = admitted.AddYears(1);
                var id = memberId++;
                Members.Add(new MemberRow(id, Name(rnd, female), birth, (short)(female ? 2 : 1), $"{o.Code}{id:D9}",
                    admitted, official <= dayOne ? official : null,
                    k == 0 ? "Bí thư chi bộ" : k == 1 ? "Phó Bí thư chi bộ" : Positions[rnd.Next(Positions.Length)],
                    branches[bi].Id, $"09{rnd.Next(10_000_000, 99_999_999)}"));
                if (rnd.NextDouble() < 0.01 && admitted.Year < o.LastYear)
                {
                    var moved = admitted.AddDays(1 + rnd.Next(Math.Max(1, dayOne.DayNumber - admitted.DayNumber - 1)));
                    Periods.Add(new PeriodRow(periodId++, id, branches[rnd.Next(branches.Count)].Id, admitted, moved));
                    Periods.Add(new PeriodRow(periodId++, id, branches[bi].Id, moved, null));
                }
                else Periods.Add(new PeriodRow(periodId++, id, branches[bi].Id, admitted, null));
            }
        }

        int pledgeId = ids.Pledge, collectiveId = ids.Collective, modelId = ids.Model, quotaId = ids.Quota, commendationId = ids.Commendation,
            sessionId = ids.Session, problemId = ids.Problem, planYearId = ids.PlanYear, topicId = ids.Topic;
        var branchIndex = new Dictionary<int, int>(branches.Count);
        for (var i = 0; i < branches.Count; i++) branchIndex[branches[i].Id] = i;
        var nonBranchUnits = Units.Where(u => !u.IsBranch).ToList();

        for (var year = o.FirstYear; year <= o.LastYear; year++)
        {
            DateTime? closedAt = o.OpenLastYear && year == o.LastYear ? null : new DateTime(year, 12, 31, 10, 0, 0, DateTimeKind.Utc);
            var theme = $"Chuyên đề năm {year}: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng văn hóa, con người Việt Nam";
            foreach (var u in nonBranchUnits.Where(u => u.ParentId is null || u.ParentId == province.Id))
                PlanYears.Add(new PlanYearRow(planYearId++, u.Id, year, theme, $"{10 + rnd.Next(80)}-KH/{(u.ParentId is null ? "TU" : "HU")}",
                    new DateOnly(year, 1, 15 + rnd.Next(10)), new DateOnly(year, 3, 31), closedAt));
            var breakthrough = topicId;
            Topics.Add(new TopicRow(topicId++, province.Id, year, 1, "Đẩy mạnh cải cách thủ tục hành chính"));
            Topics.Add(new TopicRow(topicId++, province.Id, year, 1, "Chung tay xử lý rác thải và chống rác thải nhựa"));
            Topics.Add(new TopicRow(topicId++, province.Id, year, 2, "Nói đi đôi với làm, gương mẫu nơi công tác và nơi cư trú"));
            foreach (var (kind, c, e) in new[] { ("chi-bo-co-so", 1, 2), ("chi-bo-truc-thuoc", 1, 2), ("dang-uy-co-quan", 2, 2), ("dang-uy-doanh-nghiep", 2, 2), ("dang-uy-phuong-xa", 3, 4) })
                Quotas.Add(new QuotaRow(quotaId++, province.Id, year, kinds[kind], c, e));

            // Personal pledges: 1–2 per member, counted in the branch of registration.
            for (var bi = 0; bi < branches.Count; bi++)
            {
                var (first, count) = branchMembers[bi];
                for (var m = first; m < first + count; m++)
                {
                    var pledges = rnd.NextDouble() < 0.67 ? 2 : 1;
                    for (var k = 0; k < pledges; k++)
                    {
                        var done = rnd.NextDouble() < DoneShare;
                        var reported = new DateTime(year, 10 + rnd.Next(2), 1 + rnd.Next(28), 8 + rnd.Next(9), rnd.Next(60), 0, DateTimeKind.Utc);
                        Pledges.Add(new PledgeRow(pledgeId++, m, branches[bi].Id, year, PledgeContents[rnd.Next(PledgeContents.Length)],
                            Solutions[rnd.Next(Solutions.Length)], new DateOnly(year, 11, 30), rnd.Next(2) == 0 ? breakthrough + rnd.Next(2) : null,
                            (short)(done ? 7 : 8), done ? null : "Chưa hoàn thành do thay đổi công tác", reported, reported.AddDays(3 + rnd.Next(20))));
                    }
                }
            }

            // Collective plans: study, follow, example for every unit, often a creative task, a pressing problem above branch level.
            foreach (var u in Units)
            {
                for (short cat = 1; cat <= 5; cat++)
                {
                    if (cat == 4 && rnd.NextDouble() > 0.7) continue;
                    if (cat == 5 && (u.IsBranch || rnd.NextDouble() > 0.5)) continue;
                    Collective.Add(new CollectiveRow(collectiveId++, u.Id, year, cat, CollectiveWhat(cat, year), "Phân công cấp ủy viên phụ trách, kiểm tra hằng quý",
                        cat == 1 ? "Bí thư" : "Phó Bí thư", new DateOnly(year, 12, 15), (short)(rnd.NextDouble() < DoneShare ? 3 : 4)));
                }
            }

            // Models and exemplars against the quota; a few recognised ones are commended.
            foreach (var u in Units)
            {
                if (u.ParentId is null || u.ParentId == province.Id) continue;
                var ward = u.KindId == kinds["dang-uy-phuong-xa"];
                var (minC, minE) = u.IsBranch ? (1, 2) : ward ? (3, 4) : (2, 2);
                var collectives = minC + (rnd.NextDouble() < 0.15 ? 1 : 0) - (rnd.NextDouble() < 0.05 ? 1 : 0);
                var exemplars = minE + (rnd.NextDouble() < 0.1 ? 1 : 0) - (rnd.NextDouble() < 0.07 ? 1 : 0);
                for (var k = 0; k < collectives + exemplars; k++)
                {
                    var exemplar = k >= collectives;
                    int? member = null;
                    if (exemplar && u.IsBranch && branchIndex.TryGetValue(u.Id, out var bi))
                        member = branchMembers[bi].First + rnd.Next(branchMembers[bi].Count);
                    var r = rnd.NextDouble();
                    var status = (short)(r < 0.85 ? 3 : r < 0.95 ? 2 : 4);
                    var title = exemplar ? $"Điển hình {ModelFields[rnd.Next(ModelFields.Length)].ToLowerInvariant()} tiêu biểu" : ModelTitles[rnd.Next(ModelTitles.Length)];
                    var id = modelId++;
                    Models.Add(new ModelRow(id, u.Id, year, (short)(exemplar ? 2 : 1), member, title, ModelFields[rnd.Next(ModelFields.Length)], new DateOnly(year, 2 + rnd.Next(4), 1 + rnd.Next(28)), status));
                    if (status == 3 && rnd.NextDouble() < 0.04)
                        Commendations.Add(new CommendationRow(commendationId++, u.Id, year, (short)(rnd.NextDouble() < 0.8 ? 2 : 3),
                            member is null ? u.Id : null, member, u.IsBranch ? "Đảng ủy cấp trên cơ sở" : "Tỉnh ủy", $"{100 + rnd.Next(900)}-QĐ/TU",
                            new DateOnly(year, 12, 1 + rnd.Next(20)), id, "Có thành tích xuất sắc trong học tập và làm theo Bác"));
                }
            }

            // One thematic study session per grassroots unit; every member below it is on the attendance list (≈84,5 % present).
            foreach (var g in grassroots)
            {
                var sid = sessionId++;
                Sessions.Add(new SessionRow(sid, g.Id, year, new DateOnly(year, 3 + rnd.Next(3), 1 + rnd.Next(28)), theme, (short)(rnd.NextDouble() < 0.9 ? 1 : 2)));
                foreach (var bi in BranchesUnder(g, branches, branchIndex))
                {
                    var (first, count) = branchMembers[bi];
                    for (var m = first; m < first + count; m++)
                    {
                        var r = rnd.NextDouble();
                        Attendances.Add(new AttendanceRow(sid, m, (short)(r < 0.845 ? 1 : r < 0.945 ? 2 : 3)));
                    }
                }
            }

            // Pressing problems: one or two per committee, one per grassroots committee, one in five branches.
            foreach (var u in Units)
            {
                var count = u.ParentId is null ? 0 : u.ParentId == province.Id ? 1 + rnd.Next(2) : !u.IsBranch ? 1 : rnd.NextDouble() < 0.2 ? 1 : 0;
                for (var k = 0; k < count; k++)
                {
                    var r = rnd.NextDouble();
                    var outcome = (short)(r < 0.8 ? 2 : r < 0.92 ? 3 : 4);
                    Problems.Add(new ProblemRow(problemId++, u.Id, year, ProblemTitles[rnd.Next(ProblemTitles.Length)], "Đồng chí Bí thư",
                        new DateOnly(year, 11, 30), outcome, outcome == 2 ? new DateOnly(year, 6 + rnd.Next(6), 1 + rnd.Next(28)) : null));
                }
            }
        }
    }

    private Dictionary<int, List<int>>? _childBranches;

    private IEnumerable<int> BranchesUnder(UnitRow g, List<UnitRow> branches, Dictionary<int, int> branchIndex)
    {
        if (g.IsBranch) return [branchIndex[g.Id]];
        _childBranches ??= branches.Where(b => b.ParentId is not null).GroupBy(b => b.ParentId!.Value)
            .ToDictionary(x => x.Key, x => x.Select(b => branchIndex[b.Id]).ToList());
        return _childBranches.TryGetValue(g.Id, out var list) ? list : [];
    }

    private static string CollectiveWhat(short category, int year) => category switch
    {
        1 => $"Tổ chức học tập chuyên đề năm {year} cho toàn thể đảng viên",
        2 => "Xây dựng và thực hiện kế hoạch làm theo gắn với nhiệm vụ chính trị của đơn vị",
        3 => "Cán bộ, đảng viên, trước hết là người đứng đầu, nêu gương nơi công tác và nơi cư trú",
        4 => "Xây dựng mô hình dân vận khéo, cách làm hay trong thực hiện nhiệm vụ",
        _ => "Giải quyết dứt điểm vấn đề bức xúc, nổi cộm được nhân dân quan tâm",
    };

    private UnitRow AddUnit(int id, string code, string name, int kindId, UnitRow? parent, int founded, bool isBranch) =>
        AddUnit(id, code, name, kindId, parent?.Id, parent?.Path ?? "", founded, isBranch);

    private UnitRow AddUnit(int id, string code, string name, int kindId, int? parentId, string parentPath, int founded, bool isBranch)
    {
        var row = new UnitRow(id, code, name, kindId, parentId, parentPath.Length == 0 ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{parentPath}.{id}", founded, isBranch);
        Units.Add(row);
        return row;
    }

    private static string Name(Random rnd, bool female)
    {
        var total = 0;
        foreach (var f in FamilyNames) total += f.Weight;
        var x = rnd.Next(total);
        var family = FamilyNames[^1].Name;
        foreach (var f in FamilyNames) { if (x < f.Weight) { family = f.Name; break; } x -= f.Weight; }
        return female
            ? $"{family} {FemaleMiddle[rnd.Next(FemaleMiddle.Length)]} {FemaleGiven[rnd.Next(FemaleGiven.Length)]}"
            : $"{family} {MaleMiddle[rnd.Next(MaleMiddle.Length)]} {MaleGiven[rnd.Next(MaleGiven.Length)]}";
    }

    private static double LogNormal(Random rnd, double sigma)
    {
        // Box–Muller: one standard normal from two uniforms.
        var u1 = 1.0 - rnd.NextDouble();
        var u2 = rnd.NextDouble();
        return Math.Exp(sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static int Pick(Random rnd, double[] weights)
    {
        var x = rnd.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++) { if (x < weights[i]) return i; x -= weights[i]; }
        return weights.Length - 1;
    }

    public long RowCount => Units.Count * 2L + Members.Count + Periods.Count + Pledges.Count + Collective.Count + Models.Count + Quotas.Count
        + Commendations.Count + Sessions.Count + Attendances.Count + Problems.Count + PlanYears.Count + Topics.Count;
}
