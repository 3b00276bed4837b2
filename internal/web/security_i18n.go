package web

// Strings of the security work: contact visibility, the SMS reply-code
// guard, receipt links opened by a person.
func init() {
	addMessages(map[string][2]string{
		"login.throttled": {"För många misslyckade inloggningar till kontot härifrån. Vänta en stund (från 5 sekunder, längre för varje nytt fel) och försök igen, eller logga in från en annan enhet.",
			"Too many failed logins to this account from here. Wait a while (from 5 seconds, longer after each new failure) and try again, or log in from another device."},
		"contacts.hidden": {"Kontaktuppgifter till andra enheter visas bara för krisledningen.",
			"Contact details of other units are shown to the crisis staff only."},
		"sms.guard.title": {"SMS-svar med fel kod", "SMS replies with a wrong code"},
		"sms.guard.intro": {"Efter 5 fel koder inom 15 minuter tas inga svar emot från numret i 15 minuter, sedan allt längre (högst ett dygn). Enheten kan ändå kvittera med länken eller per telefon.",
			"After 5 wrong codes within 15 minutes no replies are taken from the number for 15 minutes, then ever longer (at most a day). The unit can still acknowledge by the link or by phone."},
		"sms.guard.none":    {"Inga fel koder just nu.", "No wrong codes at the moment."},
		"sms.guard.number":  {"Nummer", "Number"},
		"sms.guard.wrong":   {"Fel koder", "Wrong codes"},
		"sms.guard.state":   {"Läge", "State"},
		"sms.guard.blocked": {"spärrat till", "refused until"},
		"sms.guard.watched": {"bevakas", "watched"},
		"dispatch.opened.means": {"”Öppnat”: någon på enheten har haft meddelandet framför sig, i Fyr eller på kvittenssidan. En länk som bara hämtats (det gör e-postfilter) räknas inte.",
			"“Opened”: someone at the unit has had the message in front of them, in Fyr or on the receipt page. A link merely fetched (mail filters do that) does not count."},
		// The answer the sender gets by SMS (always Swedish: the gateway does not say the language).
		"sms.blocked": {"Fyr: för många fel koder från det här numret, så svar med kod tas inte emot på en stund. Använd länken i SMS:et eller ring krisledningen.",
			"Fyr: too many wrong codes from this number, so replies with a code are not taken for a while. Use the link in the SMS or call the crisis staff."},
	})
}
