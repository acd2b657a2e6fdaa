package main

import "strings"

// How a nationality's family names pass between spouses and to children.
const (
	styleShared  = iota // the spouse takes the principal's family name
	styleSlavic         // as shared, with feminine forms (Ivanov, Ivanova)
	styleKeep           // the spouse keeps her or his name; children take the father's
	styleSpanish        // two family names; children take the father's first and the mother's first
	styleMongol         // the family name is the father's given name
)

// nameBank holds invented-name material for one nationality: common given
// and family names, combined at random. No real person is meant.
type nameBank struct {
	style                int
	male, female, family []string
}

func split(s string) []string { return strings.Split(s, ",") }

// names returns the name material for a nationality.
func names(nat string) nameBank {
	switch nat {
	case "RU":
		return nameBank{styleSlavic,
			split("Aleksei,Andrei,Dmitri,Sergei,Nikolai,Pavel,Igor,Mikhail,Yuri,Oleg,Vadim,Konstantin,Roman,Maksim,Artyom,Ilya,Viktor,Gennadi,Stanislav,Yevgeni,Denis,Kirill,Anton,Vladimir"),
			split("Anna,Olga,Tatiana,Natalia,Yelena,Irina,Svetlana,Maria,Yekaterina,Ksenia,Daria,Polina,Anastasia,Viktoria,Alina,Sofia,Vera,Lyudmila,Marina,Galina,Yulia,Oksana,Valeria,Nadezhda"),
			split("Ivanov,Smirnov,Kuznetsov,Popov,Vasiliev,Sokolov,Mikhailov,Novikov,Fyodorov,Morozov,Volkov,Alekseev,Lebedev,Semyonov,Yegorov,Pavlov,Kozlov,Stepanov,Nikolaev,Orlov,Andreev,Makarov,Zakharov,Zaitsev,Soloviev,Borisov,Yakovlev,Grigoriev,Romanov,Vorobyov,Tarasov,Belov,Komarov,Kiselev,Frolov,Gusev,Titov,Kuzmin,Baranov,Chernov,Bogdanov,Vinogradov,Kovalyov,Gerasimov,Ponomaryov")}
	case "BG":
		return nameBank{styleSlavic,
			split("Georgi,Ivan,Dimitar,Nikolai,Petar,Hristo,Stoyan,Todor"),
			split("Maria,Elena,Ivanka,Desislava,Gergana,Radka,Milena,Tsvetelina"),
			split("Ivanov,Georgiev,Dimitrov,Petrov,Nikolov,Hristov,Stoyanov,Todorov,Angelov,Kolev")}
	case "PL":
		return nameBank{styleSlavic,
			split("Piotr,Tomasz,Krzysztof,Marek,Paweł,Michał,Jakub,Łukasz"),
			split("Anna,Katarzyna,Agnieszka,Magdalena,Joanna,Ewa,Zofia,Marta"),
			split("Nowak,Kowalski,Wiśniewski,Wójcik,Kamiński,Lewandowski,Zieliński,Dąbrowski,Mazur,Krawczyk")}
	case "CZ":
		return nameBank{styleSlavic,
			split("Jan,Petr,Tomáš,Martin,Jiří,Pavel,Lukáš,Ondřej"),
			split("Jana,Eva,Lucie,Petra,Tereza,Kateřina,Markéta,Veronika"),
			split("Novák,Svoboda,Dvořák,Černý,Procházka,Kučera,Veselý,Horák,Marek,Pokorný")}
	case "CN":
		return nameBank{styleKeep,
			split("Wei,Jun,Hao,Lei,Qiang,Jian,Tao,Ming,Bo,Yong,Peng,Hui,Gang,Chao,Xin,Zhiwei,Haitao,Jianguo,Dongsheng,Yifan,Zhiqiang,Guoliang"),
			split("Li,Fang,Jing,Yan,Min,Xiu,Hong,Juan,Ling,Xia,Ying,Hua,Lan,Mei,Na,Qing,Ting,Yue,Xiaoyan,Lihua,Shuang,Yuxin"),
			split("Wang,Li,Zhang,Liu,Chen,Yang,Zhao,Huang,Zhou,Wu,Xu,Sun,Hu,Zhu,Gao,Lin,He,Guo,Ma,Luo,Liang,Song,Zheng,Xie,Han,Tang,Feng,Yu,Dong,Xiao,Cao,Deng")}
	case "GB":
		return nameBank{styleShared,
			split("James,Oliver,Thomas,Richard,Andrew,David,Mark,Simon,Paul,Matthew"),
			split("Sarah,Emma,Claire,Helen,Rachel,Laura,Kate,Lucy,Alice,Hannah"),
			split("Clarke,Hughes,Turner,Walsh,Bennett,Fletcher,Harding,Marsh,Porter,Whitfield")}
	case "DE":
		return nameBank{styleShared,
			split("Thomas,Michael,Andreas,Stefan,Jan,Markus,Tobias,Florian,Lukas,Felix"),
			split("Katrin,Julia,Anja,Sabine,Claudia,Lena,Miriam,Sophie,Hanna,Leonie"),
			split("Müller,Schmidt,Becker,Hoffmann,Wagner,Krüger,Richter,Wolf,Schröder,Neumann,Braun,Zimmermann")}
	case "SE":
		return nameBank{styleShared,
			split("Erik,Lars,Anders,Johan,Magnus,Per,Nils,Oskar"),
			split("Anna,Karin,Maria,Eva,Sofia,Ingrid,Elin,Maja"),
			split("Andersson,Johansson,Lindqvist,Nyberg,Eriksson,Bergström,Holm,Sandberg")}
	case "BR":
		return nameBank{styleShared,
			split("João,Pedro,Lucas,Rafael,Gustavo,Felipe,Bruno,Rodrigo"),
			split("Ana,Mariana,Juliana,Camila,Fernanda,Beatriz,Larissa,Patrícia"),
			split("Silva,Santos,Oliveira,Souza,Pereira,Costa,Almeida,Carvalho,Ribeiro,Ferreira")}
	case "VE":
		return nameBank{styleSpanish,
			split("Carlos,José,Luis,Miguel,Rafael,Jesús,Alejandro,Daniel"),
			split("María,Carmen,Andreína,Gabriela,Daniela,Yolanda,Mariela,Isabel"),
			split("González,Rodríguez,Pérez,Hernández,Martínez,García,Ramírez,Rojas,Mendoza,Díaz")}
	case "CU":
		return nameBank{styleSpanish,
			split("Yoandry,Raúl,Alexis,Ernesto,Yuniel,Osmany,Reinaldo,Jorge,Lázaro,Ariel"),
			split("Yanet,Dayana,Yamilé,Lisandra,Marisleidys,Odalys,Yudith,Mayelín,Arletis,Idania"),
			split("Fernández,González,Rodríguez,Pérez,Hernández,Díaz,Castillo,Valdés,Cabrera,Suárez,Acosta,Rivero")}
	case "ES":
		return nameBank{styleSpanish,
			split("Javier,Pablo,Sergio,Álvaro"),
			split("Lucía,Marta,Elena,Cristina"),
			split("García,López,Sánchez,Martín,Ruiz,Moreno")}
	case "IT":
		return nameBank{styleKeep,
			split("Marco,Luca,Giuseppe,Alessandro,Andrea,Matteo,Stefano,Paolo"),
			split("Giulia,Francesca,Chiara,Sara,Valentina,Elena,Federica,Silvia"),
			split("Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Conti,Gallo")}
	case "NG":
		return nameBank{styleShared,
			split("Chinedu,Emeka,Oluwaseun,Ibrahim,Tunde,Musa,Ikechukwu,Abdullahi,Femi,Yusuf"),
			split("Ngozi,Amina,Funmilayo,Chioma,Aisha,Blessing,Folake,Hauwa,Adaeze,Zainab"),
			split("Okafor,Adeyemi,Bello,Okonkwo,Abubakar,Eze,Olawale,Nwosu,Danjuma,Ogunleye,Lawal")}
	case "PK":
		return nameBank{styleShared,
			split("Muhammad,Ahmed,Ali,Imran,Bilal,Usman,Hamza,Faisal,Tariq,Asad"),
			split("Ayesha,Fatima,Sana,Hina,Sadia,Mehwish,Rabia,Nadia,Saima,Amna"),
			split("Khan,Malik,Qureshi,Butt,Chaudhry,Sheikh,Hussain,Siddiqui,Raza,Abbasi,Mirza")}
	case "CH":
		return nameBank{styleShared,
			split("Reto,Beat,Lukas,Marc,Christophe,Urs"),
			split("Corinne,Nadine,Sandra,Céline,Barbara,Monika"),
			split("Meier,Keller,Brunner,Baumann,Favre,Rochat,Gerber,Steiner")}
	case "FR":
		return nameBank{styleShared,
			split("Nicolas,Julien,Pierre,Antoine,Mathieu,Guillaume,Olivier,Sébastien"),
			split("Camille,Claire,Émilie,Marion,Aurélie,Pauline,Sophie,Élodie"),
			split("Martin,Bernard,Dubois,Moreau,Laurent,Lefebvre,Roux,Fournier,Girard,Bonnet,Mercier,Lambert")}
	case "RO":
		return nameBank{styleShared,
			split("Andrei,Mihai,Alexandru,Bogdan,Cristian,Radu,Florin,Vlad"),
			split("Ioana,Elena,Andreea,Mihaela,Alina,Cristina,Raluca,Oana"),
			split("Popescu,Ionescu,Popa,Dumitrescu,Stan,Stoica,Gheorghe,Constantin,Marin,Dobre")}
	case "MN":
		return nameBank{styleMongol,
			split("Bat-Erdene,Ganbold,Enkhbayar,Tömörbaatar,Batbayar,Erdenebat,Sükhbaatar,Otgonbayar,Naranbaatar,Gantulga"),
			split("Oyunchimeg,Sarangerel,Enkhjargal,Altantsetseg,Bolormaa,Narantuya,Tsetsegmaa,Uranchimeg,Solongo,Anujin"),
			nil}
	case "EG":
		return nameBank{styleKeep,
			split("Ahmed,Mohamed,Mahmoud,Mostafa,Hany,Tarek,Karim,Amr,Sherif,Hossam"),
			split("Mona,Rania,Dina,Nermeen,Heba,Yasmin,Salma,Noha,Reem,Aya"),
			split("Hassan,Mansour,El-Sayed,Abdel Aziz,Fahmy,Ibrahim,Saleh,Youssef,Ramadan,Farouk,Shawky,Khalil")}
	case "SY":
		return nameBank{styleKeep,
			split("Samer,Fadi,Ghassan,Rami,Ammar,Wael,Bassam,Hussam,Majd,Nizar"),
			split("Rasha,Lina,Hala,Ruba,Maysa,Diana,Nour,Ghada,Razan,Mais"),
			split("Haddad,Khoury,Al-Halabi,Darwish,Hamdan,Nasser,Shami,Sabbagh,Jaber,Kassab,Barakat")}
	case "PS":
		return nameBank{styleKeep,
			split("Issa,Khaled,Omar,Yousef,Jamal,Nabil,Saeed,Mahmoud"),
			split("Rana,Lama,Suha,Abeer,Nadia,Hiba,Manal,Dalia"),
			split("Khalidi,Barghouti,Nassar,Shaheen,Awad,Masri,Hamdan,Odeh")}
	case "IN":
		return nameBank{styleShared,
			split("Rajesh,Amit,Sanjay,Vikram,Arun,Rahul,Suresh,Anil,Manoj,Deepak"),
			split("Priya,Anjali,Sunita,Kavita,Neha,Pooja,Meera,Lakshmi,Deepa,Asha"),
			split("Sharma,Verma,Gupta,Nair,Iyer,Reddy,Patel,Singh,Menon,Rao,Joshi,Pillai")}
	case "ID":
		return nameBank{styleKeep,
			split("Budi,Agus,Hendra,Dedi,Rizky,Andi,Bambang,Eko,Yusuf,Arif,Fajar,Irwan,Taufik,Hadi,Rudi"),
			split("Siti,Dewi,Ratna,Sri,Wulan,Indah,Putri,Ayu,Fitri,Nurul"),
			split("Santoso,Wijaya,Saputra,Hidayat,Kurniawan,Setiawan,Pratama,Nugroho,Susanto,Hakim,Siregar,Lubis,Harahap,Sitompul,Rahman,Gunawan")}
	case "VN":
		return nameBank{styleKeep,
			split("Minh,Tuấn,Hùng,Dũng,Quang,Thắng,Hải,Long,Phong,Sơn,Cường,Đức"),
			split("Lan,Hương,Mai,Hoa,Thu,Linh,Trang,Ngọc,Hạnh,Thảo,Phương,Yến"),
			split("Nguyễn,Trần,Lê,Phạm,Hoàng,Vũ,Đặng,Bùi,Đỗ,Hồ,Ngô,Dương")}
	case "LA":
		return nameBank{styleKeep,
			split("Somphone,Bounmy,Khamphet,Souksavanh,Vilay,Phonesavanh,Thongsavath,Sengdao"),
			split("Souphaphone,Manivanh,Chanthaly,Keo,Phonevilay,Vanhdy,Khampheng,Davone"),
			split("Phommachanh,Sisavath,Keomany,Vongsa,Souvannavong,Inthavong,Phanthavong,Sengsouliya")}
	case "KH":
		return nameBank{styleKeep,
			split("Sokha,Vuthy,Dara,Sophal,Rithy,Chantha,Visal,Sovann"),
			split("Sreymom,Channary,Sophea,Bopha,Kanha,Sokunthea,Raksmey,Mealea"),
			split("Sok,Chea,Heng,Keo,Lim,Meas,Prak,Chhim")}
	case "IR":
		return nameBank{styleKeep,
			split("Reza,Mohammad,Ali,Hossein,Mehdi,Hamid,Saeed,Majid,Ahmad,Behrouz"),
			split("Maryam,Zahra,Fatemeh,Leila,Narges,Shirin,Elham,Parisa,Mahsa,Somayeh"),
			split("Hosseini,Rezaei,Mohammadi,Karimi,Ahmadi,Jafari,Moradi,Rahimi,Kazemi,Sadeghi,Ghasemi,Tehrani")}
	case "IE":
		return nameBank{styleShared,
			split("Conor,Seán,Ciarán,Declan,Eoin"),
			split("Aoife,Siobhán,Niamh,Orla,Gráinne"),
			split("Murphy,Kelly,O'Sullivan,Byrne,Ryan,Doyle")}
	case "KE":
		return nameBank{styleShared,
			split("Otieno,Kiprono,Mwangi,Ochieng,Kamau"),
			split("Wanjiru,Achieng,Njeri,Akinyi,Chebet"),
			split("Odhiambo,Kariuki,Mutua,Wanyama,Kiplagat,Njoroge")}
	case "BD":
		return nameBank{styleShared,
			split("Rahim,Shafiq,Tanvir,Mahbub,Kamrul"),
			split("Nasrin,Farzana,Shirin,Taslima,Rupa"),
			split("Rahman,Hossain,Islam,Chowdhury,Ahmed,Uddin")}
	case "PH":
		return nameBank{styleShared,
			split("Jose,Mark,Paolo,Ramon,Jerome"),
			split("Maria,Kristine,Joy,Michelle,Rowena"),
			split("Santos,Reyes,Cruz,Bautista,Villanueva,Mendoza")}
	case "NL":
		return nameBank{styleShared,
			split("Jeroen,Pieter,Bas,Joost"),
			split("Marieke,Annelies,Femke,Sanne"),
			split("de Vries,Jansen,Bakker,Visser,Smit,Mulder")}
	}
	panic("no names for nationality " + nat)
}

// femaleSurname is the feminine form of a Slavic family name (unchanged for
// other nationalities and for names without one).
func femaleSurname(nat, s string) string {
	switch nat {
	case "RU", "BG":
		return s + "a"
	case "PL":
		if r, ok := strings.CutSuffix(s, "ski"); ok {
			return r + "ska"
		}
		if r, ok := strings.CutSuffix(s, "cki"); ok {
			return r + "cka"
		}
	case "CZ":
		if r, ok := strings.CutSuffix(s, "ý"); ok {
			return r + "á"
		}
		if r, ok := strings.CutSuffix(s, "ek"); ok {
			return r + "ková"
		}
		if r, ok := strings.CutSuffix(s, "a"); ok {
			return r + "ová"
		}
		return s + "ová"
	}
	return s
}

// masculine undoes femaleSurname for the names of names().
func masculine(nat, s string) string {
	switch nat {
	case "RU", "BG":
		return strings.TrimSuffix(s, "a")
	case "PL":
		if r, ok := strings.CutSuffix(s, "ska"); ok {
			return r + "ski"
		}
		if r, ok := strings.CutSuffix(s, "cka"); ok {
			return r + "cki"
		}
	case "CZ":
		for _, m := range names("CZ").family {
			if femaleSurname("CZ", m) == s {
				return m
			}
		}
	}
	return s
}

// passportPrefix is the invented series letters of a nationality's
// (diplomatic or service) passports in this scenario.
func passportPrefix(nat string) string {
	switch nat {
	case "RU":
		return "20"
	case "CN", "DE", "IT", "PK":
		return "D" + nat[:1]
	case "GB", "SE", "IE", "KE", "BD", "PH", "NL", "ES":
		return nat
	case "FR", "CH":
		return "1" + nat[:1]
	case "IN":
		return "Z"
	}
	return "D"
}
