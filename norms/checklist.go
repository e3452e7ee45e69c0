package norms

import (
	"concord"
	"concord/capacity"
)

// ActionInfo is one practical action of the checklist: a code ("a1" …
// "k3", the norm's letter and a number) and a short title in the six
// languages. English is authoritative.
type ActionInfo struct {
	Code  string
	Norm  string // the norm's letter
	Title concord.Text
}

// NormInfo is one of the eleven norms with its practical actions. Its
// name is the one the portal's areas give it (capacity.Areas): one list of
// the norms, not two.
type NormInfo struct {
	Letter  string
	Area    capacity.Area
	Name    concord.Text
	Actions []ActionInfo
}

// actions are the practical actions of each norm, in the order the
// checklist lists them, drawn from the implementation guidance of the 2021
// GGE report (A/76/135) as the Mechanism uses it.
var actions = map[string][]concord.Text{
	"a": {
		{"en": "Designate a national point of contact for interstate cooperation on ICT security", "fr": "Désigner un point de contact national pour la coopération entre États en matière de sécurité des TIC", "es": "Designar un punto de contacto nacional para la cooperación entre Estados en materia de seguridad de las TIC", "ru": "Назначить национальный контактный пункт для межгосударственного сотрудничества в сфере безопасности ИКТ", "zh": "指定国家信通技术安全国家间合作联络点", "ar": "تعيين جهة اتصال وطنية للتعاون بين الدول في مجال أمن تكنولوجيا المعلومات والاتصالات"},
		{"en": "Take part in regional and international cooperation on ICT security", "fr": "Participer à la coopération régionale et internationale en matière de sécurité des TIC", "es": "Participar en la cooperación regional e internacional en materia de seguridad de las TIC", "ru": "Участвовать в региональном и международном сотрудничестве в сфере безопасности ИКТ", "zh": "参与信通技术安全领域的区域和国际合作", "ar": "المشاركة في التعاون الإقليمي والدولي في مجال أمن تكنولوجيا المعلومات والاتصالات"},
		{"en": "Share national ICT security policies and strategies with other States", "fr": "Partager les politiques et stratégies nationales de sécurité des TIC avec les autres États", "es": "Compartir con otros Estados las políticas y estrategias nacionales de seguridad de las TIC", "ru": "Делиться с другими государствами национальной политикой и стратегиями безопасности ИКТ", "zh": "与其他国家分享国家信通技术安全政策和战略", "ar": "تبادل السياسات والاستراتيجيات الوطنية لأمن تكنولوجيا المعلومات والاتصالات مع الدول الأخرى"},
	},
	"b": {
		{"en": "Set up a national process to assess ICT incidents before responding", "fr": "Mettre en place un processus national d'évaluation des incidents TIC avant toute réponse", "es": "Establecer un proceso nacional para evaluar los incidentes de TIC antes de responder", "ru": "Создать национальный порядок оценки инцидентов в сфере ИКТ до принятия ответных мер", "zh": "建立在作出回应前评估信通技术事件的国家程序", "ar": "إنشاء عملية وطنية لتقييم حوادث تكنولوجيا المعلومات والاتصالات قبل الرد عليها"},
		{"en": "Weigh the technical and political context and the origin of an incident", "fr": "Tenir compte du contexte technique et politique et de l'origine d'un incident", "es": "Tener en cuenta el contexto técnico y político y el origen de un incidente", "ru": "Учитывать технический и политический контекст и происхождение инцидента", "zh": "权衡事件的技术和政治背景及其来源", "ar": "مراعاة السياق التقني والسياسي للحادث ومصدره"},
		{"en": "Consult the States concerned through diplomatic channels", "fr": "Consulter les États concernés par la voie diplomatique", "es": "Consultar a los Estados interesados por conducto diplomático", "ru": "Консультироваться с заинтересованными государствами по дипломатическим каналам", "zh": "通过外交渠道与有关国家协商", "ar": "التشاور مع الدول المعنية عبر القنوات الدبلوماسية"},
	},
	"c": {
		{"en": "Establish national means to detect and stop malicious ICT activity from the territory", "fr": "Se doter de moyens nationaux pour détecter et faire cesser les activités malveillantes menées depuis le territoire", "es": "Establecer medios nacionales para detectar y detener la actividad maliciosa de TIC desde el territorio", "ru": "Создать национальные средства выявления и пресечения злонамеренной деятельности в сфере ИКТ со своей территории", "zh": "建立发现和制止从本国领土发起的恶意信通技术活动的国家手段", "ar": "إنشاء وسائل وطنية لكشف الأنشطة الخبيثة في مجال تكنولوجيا المعلومات والاتصالات المنطلقة من الإقليم ووقفها"},
		{"en": "Respond to notifications from other States about activity from the territory", "fr": "Répondre aux notifications d'autres États concernant des activités menées depuis le territoire", "es": "Responder a las notificaciones de otros Estados sobre actividades desde el territorio", "ru": "Отвечать на уведомления других государств о деятельности со своей территории", "zh": "回应其他国家关于从本国领土发起的活动的通报", "ar": "الرد على إخطارات الدول الأخرى بشأن الأنشطة المنطلقة من الإقليم"},
		{"en": "Review national legislation to prevent the misuse of ICTs", "fr": "Réexaminer la législation nationale pour prévenir l'utilisation abusive des TIC", "es": "Revisar la legislación nacional para prevenir el uso indebido de las TIC", "ru": "Пересмотреть национальное законодательство в целях предотвращения неправомерного использования ИКТ", "zh": "审查国家立法以防止滥用信通技术", "ar": "مراجعة التشريعات الوطنية لمنع إساءة استخدام تكنولوجيا المعلومات والاتصالات"},
	},
	"d": {
		{"en": "Adopt and apply legislation against cybercrime", "fr": "Adopter et appliquer une législation contre la cybercriminalité", "es": "Adoptar y aplicar legislación contra la ciberdelincuencia", "ru": "Принять и применять законодательство о борьбе с киберпреступностью", "zh": "通过并实施打击网络犯罪的立法", "ar": "اعتماد تشريعات لمكافحة الجرائم السيبرانية وتطبيقها"},
		{"en": "Set up channels for mutual legal assistance on ICT-related crime", "fr": "Établir des canaux d'entraide judiciaire pour la criminalité liée aux TIC", "es": "Establecer canales de asistencia judicial recíproca para los delitos relacionados con las TIC", "ru": "Создать каналы взаимной правовой помощи по преступлениям, связанным с ИКТ", "zh": "建立信通技术相关犯罪的司法协助渠道", "ar": "إنشاء قنوات للمساعدة القانونية المتبادلة بشأن الجرائم المتصلة بتكنولوجيا المعلومات والاتصالات"},
		{"en": "Cooperate with other States against terrorist use of ICTs", "fr": "Coopérer avec les autres États contre l'utilisation des TIC à des fins terroristes", "es": "Cooperar con otros Estados contra el uso de las TIC con fines terroristas", "ru": "Сотрудничать с другими государствами в противодействии использованию ИКТ в террористических целях", "zh": "与其他国家合作打击利用信通技术从事恐怖主义活动", "ar": "التعاون مع الدول الأخرى في مكافحة استخدام تكنولوجيا المعلومات والاتصالات لأغراض إرهابية"},
	},
	"e": {
		{"en": "Make sure national ICT security measures respect human rights", "fr": "Veiller à ce que les mesures nationales de sécurité des TIC respectent les droits de l'homme", "es": "Velar por que las medidas nacionales de seguridad de las TIC respeten los derechos humanos", "ru": "Обеспечить соблюдение прав человека национальными мерами безопасности ИКТ", "zh": "确保国家信通技术安全措施尊重人权", "ar": "ضمان احترام التدابير الوطنية لأمن تكنولوجيا المعلومات والاتصالات لحقوق الإنسان"},
		{"en": "Protect privacy and personal data by law", "fr": "Protéger par la loi la vie privée et les données personnelles", "es": "Proteger por ley la privacidad y los datos personales", "ru": "Защищать в законодательстве неприкосновенность частной жизни и персональные данные", "zh": "依法保护隐私和个人数据", "ar": "حماية الخصوصية والبيانات الشخصية بموجب القانون"},
		{"en": "Consult civil society on ICT security policies", "fr": "Consulter la société civile sur les politiques de sécurité des TIC", "es": "Consultar a la sociedad civil sobre las políticas de seguridad de las TIC", "ru": "Консультироваться с гражданским обществом по политике безопасности ИКТ", "zh": "就信通技术安全政策征求民间社会意见", "ar": "التشاور مع المجتمع المدني بشأن سياسات أمن تكنولوجيا المعلومات والاتصالات"},
	},
	"f": {
		{"en": "State a national policy not to damage critical infrastructure by ICT activity", "fr": "Énoncer une politique nationale de non-atteinte aux infrastructures critiques par des activités TIC", "es": "Enunciar una política nacional de no dañar las infraestructuras críticas mediante actividades de TIC", "ru": "Заявить национальную политику неповреждения критически важной инфраструктуры с помощью ИКТ", "zh": "宣布不利用信通技术活动损害关键基础设施的国家政策", "ar": "إعلان سياسة وطنية بعدم الإضرار بالبنية التحتية الحيوية عن طريق أنشطة تكنولوجيا المعلومات والاتصالات"},
		{"en": "Review national ICT doctrine against this norm", "fr": "Examiner la doctrine nationale en matière de TIC au regard de cette norme", "es": "Examinar la doctrina nacional sobre las TIC a la luz de esta norma", "ru": "Проверить национальную доктрину в сфере ИКТ на соответствие этой норме", "zh": "对照这一规范审查国家信通技术理论", "ar": "مراجعة العقيدة الوطنية في مجال تكنولوجيا المعلومات والاتصالات في ضوء هذه القاعدة"},
		{"en": "Explain publicly how the State understands this norm", "fr": "Expliquer publiquement comment l'État comprend cette norme", "es": "Explicar públicamente cómo entiende el Estado esta norma", "ru": "Публично разъяснить, как государство понимает эту норму", "zh": "公开说明本国如何理解这一规范", "ar": "الإعلان عن كيفية فهم الدولة لهذه القاعدة"},
	},
	"g": {
		{"en": "Identify the national critical infrastructure", "fr": "Recenser les infrastructures critiques nationales", "es": "Determinar las infraestructuras críticas nacionales", "ru": "Определить национальную критически важную инфраструктуру", "zh": "确定国家关键基础设施", "ar": "تحديد البنية التحتية الحيوية الوطنية"},
		{"en": "Adopt protective measures and standards for critical infrastructure", "fr": "Adopter des mesures et des normes de protection des infrastructures critiques", "es": "Adoptar medidas y estándares de protección de las infraestructuras críticas", "ru": "Принять меры и стандарты защиты критически важной инфраструктуры", "zh": "通过关键基础设施保护措施和标准", "ar": "اعتماد تدابير ومعايير لحماية البنية التحتية الحيوية"},
		{"en": "Hold exercises with critical infrastructure operators", "fr": "Organiser des exercices avec les exploitants d'infrastructures critiques", "es": "Realizar ejercicios con los operadores de infraestructuras críticas", "ru": "Проводить учения с операторами критически важной инфраструктуры", "zh": "与关键基础设施运营者开展演习", "ar": "إجراء تمارين مع مشغلي البنية التحتية الحيوية"},
	},
	"h": {
		{"en": "Designate a point of contact for requests for assistance", "fr": "Désigner un point de contact pour les demandes d'assistance", "es": "Designar un punto de contacto para las solicitudes de asistencia", "ru": "Назначить контактный пункт для просьб о помощи", "zh": "指定援助请求联络点", "ar": "تعيين جهة اتصال لطلبات المساعدة"},
		{"en": "Set procedures to answer requests in good time", "fr": "Fixer des procédures pour répondre aux demandes en temps utile", "es": "Establecer procedimientos para responder a las solicitudes a tiempo", "ru": "Установить порядок своевременного ответа на просьбы", "zh": "制定及时答复请求的程序", "ar": "وضع إجراءات للرد على الطلبات في الوقت المناسب"},
		{"en": "Mitigate malicious activity from the territory when asked", "fr": "Atténuer, sur demande, les activités malveillantes menées depuis le territoire", "es": "Mitigar, cuando se solicite, la actividad maliciosa desde el territorio", "ru": "По просьбе смягчать последствия злонамеренной деятельности со своей территории", "zh": "应请求减轻从本国领土发起的恶意活动", "ar": "التخفيف من الأنشطة الخبيثة المنطلقة من الإقليم عند الطلب"},
	},
	"i": {
		{"en": "Adopt a national policy on supply-chain risk", "fr": "Adopter une politique nationale de gestion des risques liés à la chaîne d'approvisionnement", "es": "Adoptar una política nacional sobre los riesgos de la cadena de suministro", "ru": "Принять национальную политику управления рисками цепочки поставок", "zh": "通过国家供应链风险政策", "ar": "اعتماد سياسة وطنية بشأن مخاطر سلسلة الإمداد"},
		{"en": "Promote security by design among suppliers", "fr": "Promouvoir la sécurité dès la conception auprès des fournisseurs", "es": "Promover la seguridad desde el diseño entre los proveedores", "ru": "Поощрять у поставщиков принцип безопасности при проектировании", "zh": "在供应商中推广设计安全", "ar": "تعزيز الأمن منذ التصميم لدى الموردين"},
		{"en": "Assess products and services for hidden harmful functions", "fr": "Évaluer les produits et services pour y déceler des fonctions cachées nuisibles", "es": "Evaluar los productos y servicios para detectar funciones ocultas dañinas", "ru": "Проверять продукты и услуги на наличие скрытых вредоносных функций", "zh": "评估产品和服务是否含有隐藏的有害功能", "ar": "تقييم المنتجات والخدمات للكشف عن الوظائف الضارة المخفية"},
	},
	"j": {
		{"en": "Adopt a coordinated vulnerability disclosure policy", "fr": "Adopter une politique de divulgation coordonnée des vulnérabilités", "es": "Adoptar una política de divulgación coordinada de vulnerabilidades", "ru": "Принять политику скоординированного раскрытия уязвимостей", "zh": "通过协调漏洞披露政策", "ar": "اعتماد سياسة للإفصاح المنسق عن مواطن الضعف"},
		{"en": "Share vulnerability information and remedies", "fr": "Partager les informations sur les vulnérabilités et les correctifs", "es": "Compartir información sobre vulnerabilidades y sus soluciones", "ru": "Обмениваться информацией об уязвимостях и средствах их устранения", "zh": "分享漏洞信息和补救措施", "ar": "تبادل المعلومات عن مواطن الضعف وسبل معالجتها"},
		{"en": "Protect researchers who report vulnerabilities in good faith", "fr": "Protéger les chercheurs qui signalent de bonne foi des vulnérabilités", "es": "Proteger a los investigadores que notifican vulnerabilidades de buena fe", "ru": "Защищать исследователей, добросовестно сообщающих об уязвимостях", "zh": "保护善意报告漏洞的研究人员", "ar": "حماية الباحثين الذين يبلغون عن مواطن الضعف بحسن نية"},
	},
	"k": {
		{"en": "Establish a national CERT or CSIRT with a clear mandate", "fr": "Créer un CERT ou CSIRT national doté d'un mandat clair", "es": "Crear un CERT o CSIRT nacional con un mandato claro", "ru": "Создать национальную группу CERT или CSIRT с четким мандатом", "zh": "设立任务明确的国家计算机应急响应组", "ar": "إنشاء فريق وطني للاستجابة لحوادث الحاسوب بولاية واضحة"},
		{"en": "Commit not to use response teams for malicious activity", "fr": "S'engager à ne pas utiliser les équipes d'intervention à des fins malveillantes", "es": "Comprometerse a no utilizar los equipos de respuesta para actividades maliciosas", "ru": "Обязаться не использовать группы реагирования в злонамеренных целях", "zh": "承诺不利用应急响应小组从事恶意活动", "ar": "الالتزام بعدم استخدام أفرقة الاستجابة في أنشطة خبيثة"},
		{"en": "Take part in international networks of response teams", "fr": "Participer aux réseaux internationaux d'équipes d'intervention", "es": "Participar en las redes internacionales de equipos de respuesta", "ru": "Участвовать в международных сетях групп реагирования", "zh": "参加应急响应小组国际网络", "ar": "المشاركة في الشبكات الدولية لأفرقة الاستجابة"},
	},
}

// checklist is the eleven norms with their actions, built once from the
// portal's norms and the actions above.
var checklist, actionIndex = func() ([]NormInfo, map[string]ActionInfo) {
	var out []NormInfo
	index := map[string]ActionInfo{}
	for _, a := range capacity.Norms() {
		n := NormInfo{Letter: a.Letter, Area: a.Code, Name: a.Name}
		for i, title := range actions[a.Letter] {
			ai := ActionInfo{Code: a.Letter + string(rune('1'+i)), Norm: a.Letter, Title: title}
			n.Actions = append(n.Actions, ai)
			index[ai.Code] = ai
		}
		out = append(out, n)
	}
	return out, index
}()

// Checklist returns the eleven norms with their practical actions, in
// order. The slice is shared: callers do not change it.
func Checklist() []NormInfo { return checklist }

// LookupAction returns the action with code c ("a1" … "k3").
func LookupAction(c string) (ActionInfo, bool) {
	a, ok := actionIndex[c]
	return a, ok
}

// LookupNorm returns the norm with letter l ("a" … "k").
func LookupNorm(l string) (NormInfo, bool) {
	for _, n := range checklist {
		if n.Letter == l {
			return n, true
		}
	}
	return NormInfo{}, false
}

// ActionCount is how many actions the checklist has in all.
func ActionCount() int { return len(actionIndex) }
