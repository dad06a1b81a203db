using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace HocLamTheoBac.Web.Infrastructure;

public sealed class VietnameseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Mật khẩu phải có ít nhất {length} ký tự." };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "Mật khẩu phải có ít nhất một chữ số (0–9)." };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "Mật khẩu phải có ít nhất một chữ thường (a–z)." };
    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "Mật khẩu phải có ít nhất một chữ hoa (A–Z)." };
    public override IdentityError PasswordRequiresNonAlphanumeric() => new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "Mật khẩu phải có ít nhất một ký tự đặc biệt." };
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "Mật khẩu hiện tại không đúng." };
    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = $"Email {email} đã được dùng cho tài khoản khác." };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"Tên đăng nhập {userName} đã tồn tại." };
    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = $"Email '{email}' không hợp lệ." };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"Tên đăng nhập '{userName}' không hợp lệ." };
    public override IdentityError InvalidToken() => new() { Code = nameof(InvalidToken), Description = "Mã xác thực không hợp lệ hoặc đã hết hạn." };
    public override IdentityError ConcurrencyFailure() => new() { Code = nameof(ConcurrencyFailure), Description = "Tài khoản vừa được người khác sửa; vui lòng tải lại trang." };
    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "Đã có lỗi xảy ra." };
}

public static partial class ValidationMessages
{
    public static void Apply(Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.DefaultModelBindingMessageProvider p)
    {
        p.SetValueMustNotBeNullAccessor(_ => "Vui lòng nhập giá trị.");
        p.SetAttemptedValueIsInvalidAccessor((v, _) => AttemptedValueIsInvalid(v));
        p.SetMissingBindRequiredValueAccessor(_ => "Thiếu giá trị bắt buộc.");
        p.SetMissingKeyOrValueAccessor(() => "Thiếu giá trị bắt buộc.");
        p.SetMissingRequestBodyRequiredValueAccessor(() => "Thiếu dữ liệu gửi lên.");
        p.SetNonPropertyAttemptedValueIsInvalidAccessor(AttemptedValueIsInvalid);
        p.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Giá trị không hợp lệ.");
        p.SetNonPropertyValueMustBeANumberAccessor(() => "Phải là một số.");
        p.SetUnknownValueIsInvalidAccessor(_ => "Giá trị không hợp lệ.");
        p.SetValueIsInvalidAccessor(AttemptedValueIsInvalid);
        p.SetValueMustBeANumberAccessor(_ => "Phải là một số.");
    }

    /// <summary>
    /// A typed value its field's type cannot hold. Every number field of the forms is a whole number, so digits that did not
    /// bind are too large, or too small after a minus (the walk of session 19: a quota of 99999999999 got "Giá trị '99999999999'
    /// không hợp lệ."); digits grouped by points in threes are a vi-VN whole number typed with its thousands points; other
    /// digits with a point or comma are not whole.
    /// </summary>
    public static string AttemptedValueIsInvalid(string? value)
    {
        var v = value?.Trim() ?? "";
        var shown = v.Length > 40 ? v[..40] + "…" : v;
        if (v.Length > 0 && v.All(char.IsAsciiDigit)) return $"Số “{shown}” quá lớn: vui lòng nhập số nhỏ hơn.";
        if (v.Length > 1 && v[0] == '-' && v[1..].All(char.IsAsciiDigit)) return $"Số “{shown}” quá nhỏ: vui lòng nhập số lớn hơn.";
        // "1.200" is one thousand two hundred in vi-VN, not a fraction (the walk of session 20: it was called "không phải số nguyên").
        if (v.Length <= 40 && ThousandsGrouped().IsMatch(v))
            return $"“{v}” có dấu chấm ngăn cách hàng nghìn: vui lòng nhập liền các chữ số, không có dấu chấm, ví dụ {v.Replace(".", "")}.";
        if (v.Any(char.IsAsciiDigit) && v.TrimStart('-').All(c => char.IsAsciiDigit(c) || c is '.' or ','))
            return $"“{shown}” không phải số nguyên: vui lòng nhập số nguyên, không có dấu chấm hay dấu phẩy, ví dụ 12.";
        return $"Giá trị “{shown}” không hợp lệ.";
    }

    /// <summary>A whole number written with vi-VN thousands points: 1.200, 12.000.000, -3.500.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^-?[0-9]{1,3}(\.[0-9]{3})+$")]
    private static partial System.Text.RegularExpressions.Regex ThousandsGrouped();
}
