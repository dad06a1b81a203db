using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// Demo data: one province, two city/district committees, grassroots committees, branches,
/// about 100 members and one account per role. Runs only on an empty database.
/// </summary>
public static class DemoSeeder
{
    public const string DemoPassword = "HocLamTheoBac2025";

    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Ma", "Nông"];
    private static readonly string[] MiddleNames = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quốc", "Thanh", "Ngọc", "Hữu", "Kim"];
    private static readonly string[] GivenNames = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Ngân", "Phúc", "Quang", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến"];

    public static async Task<bool> SeedIfEmptyAsync(AppDbContext db, IServiceProvider services, CancellationToken ct, bool withActivity = false)
    {
        if (await db.OrgUnits.AnyAsync(ct)) return false;
        var kinds = await db.OrgKinds.ToDictionaryAsync(k => k.Code, k => k.Id, ct);
        var from = new DateOnly(2020, 1, 1);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var province = await db.AddUnitAsync(null, kinds["tinh-uy"], "TQ", "Tỉnh ủy Tuyên Quang", from, ct);
        var city = await db.AddUnitAsync(province, kinds["huyen-uy"], "TQ-TP", "Thành ủy Tuyên Quang", from, ct);
        var district = await db.AddUnitAsync(province, kinds["huyen-uy"], "TQ-YS", "Huyện ủy Yên Sơn", from, ct);
        var ward = await db.AddUnitAsync(city, kinds["dang-uy-phuong-xa"], "TQ-TP-PT", "Đảng ủy phường Phan Thiết", from, ct);
        var ward2 = await db.AddUnitAsync(city, kinds["dang-uy-phuong-xa"], "TQ-TP-MX", "Đảng ủy phường Minh Xuân", from, ct);
        var agency = await db.AddUnitAsync(district, kinds["dang-uy-co-quan"], "TQ-YS-UB", "Đảng ủy cơ quan Ủy ban nhân dân huyện", from, ct);
        var branches = new List<OrgUnit>
        {
            await db.AddUnitAsync(ward, kinds["chi-bo-truc-thuoc"], "TQ-TP-PT-TDP1", "Chi bộ Tổ dân phố 1", from, ct),
            await db.AddUnitAsync(ward, kinds["chi-bo-truc-thuoc"], "TQ-TP-PT-TDP2", "Chi bộ Tổ dân phố 2", from, ct),
            await db.AddUnitAsync(ward2, kinds["chi-bo-truc-thuoc"], "TQ-TP-MX-TDP5", "Chi bộ Tổ dân phố 5", from, ct),
            await db.AddUnitAsync(agency, kinds["chi-bo-truc-thuoc"], "TQ-YS-UB-VP", "Chi bộ Văn phòng", from, ct),
            await db.AddUnitAsync(district, kinds["chi-bo-co-so"], "TQ-YS-THCS", "Chi bộ Trường THCS Yên Sơn", from, ct),
        };
        await db.SaveChangesAsync(ct);

        var rnd = new Random(2025);
        var members = new List<Member>();
        var n = 0;
        foreach (var b in branches)
        {
            var count = b.Code == "TQ-TP-PT-TDP1" ? 24 : 18 + rnd.Next(6);
            for (var i = 0; i < count; i++)
            {
                n++;
                var female = rnd.Next(2) == 0;
                var admitted = new DateOnly(1985 + rnd.Next(38), 1 + rnd.Next(12), 1 + rnd.Next(28));
                members.Add(new Member
                {
                    FullName = $"{FamilyNames[rnd.Next(FamilyNames.Length)]} {(female ? "Thị" : MiddleNames[rnd.Next(MiddleNames.Length)])} {GivenNames[rnd.Next(GivenNames.Length)]}",
                    Gender = female ? Gender.Female : Gender.Male,
                    BirthDate = new DateOnly(1950 + rnd.Next(50), 1 + rnd.Next(12), 1 + rnd.Next(28)),
                    CardNumber = $"08{n:000000}",
                    AdmittedOn = admitted,
                    OfficialOn = admitted.Year >= 2025 ? null : admitted.AddYears(1),
                    Position = i == 0 ? "Bí thư chi bộ" : i == 1 ? "Phó Bí thư chi bộ" : "Đảng viên",
                    BranchId = b.Id,
                    Phone = $"09{rnd.Next(10000000, 99999999)}",
                });
            }
        }
        db.Members.AddRange(members);
        await db.SaveChangesAsync(ct);
        db.MemberBranchPeriods.AddRange(members.Select(m => new MemberBranchPeriod { MemberId = m.Id, BranchId = m.BranchId, ValidFrom = from }));
        await db.SaveChangesAsync(ct);

        var users = services.GetRequiredService<UserManager<AppUser>>();
        var tdp1 = branches[0];
        var demoMember = members.First(m => m.BranchId == tdp1.Id && m.Position == "Đảng viên");
        await AccountAsync(db, users, "admin@hlb.local", "Quản trị hệ thống", AppRole.Admin, province, null, ct);
        await AccountAsync(db, users, "tuyengiao@hlb.local", "Ban Tuyên giáo Tỉnh ủy", AppRole.Staff, province, null, ct);
        await AccountAsync(db, users, "tuyengiao.tp@hlb.local", "Ban Tuyên giáo Thành ủy", AppRole.Staff, city, null, ct);
        var secretary = members.First(m => m.BranchId == tdp1.Id && m.Position == "Bí thư chi bộ");
        await AccountAsync(db, users, "bithu@hlb.local", secretary.FullName, AppRole.Secretary, tdp1, secretary.Id, ct);
        var secretary2 = members.First(m => m.BranchId == branches[1].Id && m.Position == "Bí thư chi bộ");
        await AccountAsync(db, users, "bithu2@hlb.local", secretary2.FullName, AppRole.Secretary, branches[1], secretary2.Id, ct);
        await AccountAsync(db, users, "dangvien@hlb.local", demoMember.FullName, AppRole.Member, tdp1, demoMember.Id, ct);
        if (withActivity) await DemoActivity.SeedAsync(db, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task AccountAsync(AppDbContext db, UserManager<AppUser> users, string email, string name, AppRole role, OrgUnit unit, int? memberId, CancellationToken ct)
    {
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, FullName = name, MemberId = memberId };
        var result = await users.CreateAsync(user, DemoPassword);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        db.RoleBindings.Add(new RoleBinding { UserId = user.Id, Role = role, OrgUnitId = unit.Id, GrantedAt = db.Clock.Now });
        await db.SaveChangesAsync(ct);
    }
}
