using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Account;

[EnableRateLimiting(LoginThrottle.Policy)]
public sealed class LoginModel(SignInManager<AppUser> signIn, LoginThrottle throttle, ILogger<LoginModel> log) : PageModel
{
    /// <summary>One message for an unknown account and a wrong password, so neither can be probed.</summary>
    public const string InvalidCredentials = "Email hoặc mật khẩu không đúng.";
    public const string LockedOut = "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ quản trị viên.";

    [BindProperty] public InputModel Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập email."), EmailAddress(ErrorMessage = "Email không hợp lệ."), StringLength(256)]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Vui lòng nhập mật khẩu."), DataType(DataType.Password), StringLength(200)]
        public string Password { get; set; } = "";

        public bool RememberMe { get; set; }
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A checkbox re-rendered with a posted value that is not a boolean throws in the tag helper: treat it as unticked.
        if (ModelState.GetFieldValidationState("Input.RememberMe") == ModelValidationState.Invalid) ModelState.Remove("Input.RememberMe");
        if (!ModelState.IsValid) return Page();
        if (!throttle.TryAttempt(Input.Email))
        {
            log.LogWarning("Sign-in throttled for one account");
            return StatusCode(StatusCodes.Status429TooManyRequests);
        }
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            log.LogInformation("Sign-in succeeded");
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        if (result.RequiresTwoFactor)
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        ModelState.AddModelError(string.Empty, result.IsLockedOut ? LockedOut : InvalidCredentials);
        return Page();
    }
}
