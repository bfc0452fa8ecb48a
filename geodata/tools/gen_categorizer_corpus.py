#!/usr/bin/env python3
"""Writes geodata/categorizer/corpus.json, the demo training corpus of the category suggester.

Written for the demo: every sentence below was made up for this file (no real reports), in the
way people write to a city hotline — SMS and Zalo without diacritics and with shorthand, Facebook
posts, web forms, an operator's summary of a call, a newspaper line. Each category has
hand-written whole sentences (used as they are, then once more with noise) and short problem
phrases that are combined with openers, Đà Nẵng places and closers. Noise: diacritics dropped,
SMS shorthand (ko, k, dc, đc, ng, j, bn, vs, r), a dropped or doubled letter.

Deterministic: `python3 geodata/tools/gen_categorizer_corpus.py` always writes the same file.
"""
import json
import os
import random
import unicodedata

SEED = 1022
PER_CATEGORY = 48

STREETS = ["Ông Ích Khiêm", "Hùng Vương", "Lê Duẩn", "Nguyễn Văn Linh", "Trần Phú", "Bạch Đằng",
           "Điện Biên Phủ", "Nguyễn Tri Phương", "Hàm Nghi", "Lê Lợi", "Phan Châu Trinh",
           "Nguyễn Hữu Thọ", "Tôn Đức Thắng", "Âu Cơ", "Ngô Quyền", "Võ Nguyên Giáp", "Hoàng Sa",
           "Phạm Văn Đồng", "Nguyễn Lương Bằng", "Trường Chinh", "Lê Văn Hiến", "Huỳnh Thúc Kháng",
           "Núi Thành", "2 Tháng 9", "Hải Phòng", "Lý Thái Tổ", "Hà Huy Tập", "Tôn Đản",
           "Cách Mạng Tháng 8", "Nguyễn Tất Thành", "Dũng Sĩ Thanh Khê", "Trưng Nữ Vương",
           "Lê Đình Dương", "Ngũ Hành Sơn", "Trần Cao Vân", "Hoàng Diệu", "Phan Đăng Lưu"]
WARDS = ["Hải Châu", "Thạch Thang", "Phước Ninh", "Hòa Cường Bắc", "An Hải Bắc", "Mân Thái",
         "Thọ Quang", "Mỹ An", "Khuê Mỹ", "Hòa Minh", "Hòa Khánh Bắc", "Thanh Khê Đông",
         "Chính Gián", "An Khê", "Hòa Xuân", "Hòa Phát", "Bình Hiên", "Nại Hiên Đông"]
DISTRICTS = ["Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ", "Hòa Vang"]


def place(rng):
    street = rng.choice(STREETS)
    n = rng.randint(1, 420)
    forms = [
        f"ở kiệt {n} {street}", f"kiệt {n}/{rng.randint(2, 60)} {street}", f"hẻm {n} {street}",
        f"đường {street}", f"số {n} {street}", f"trên đường {street}, phường {rng.choice(WARDS)}",
        f"tổ {rng.randint(1, 60)} phường {rng.choice(WARDS)}", f"quận {rng.choice(DISTRICTS)}",
        f"gần ngã tư {street} - {rng.choice(STREETS)}", f"đầu kiệt {n} {street}",
        f"phường {rng.choice(WARDS)} quận {rng.choice(DISTRICTS)}", f"k{n} {street}",
    ]
    return rng.choice(forms)


OPENERS = ["", "", "", "Cho em hỏi", "Xin phản ánh:", "Kính gửi tổng đài 1022,", "Alo 1022",
           "Phản ánh", "Mình muốn báo là", "Dân ở đây bức xúc vì", "Nhờ các anh chị xử lý giúp,",
           "Công dân gọi điện phản ánh", "Người dân phản ánh", "Em chào anh chị,", "Bà con kêu",
           "Tin nhắn 1022:", "Báo Đà Nẵng: người dân", "ad ơi", "Nhờ 1022 kiểm tra"]
CLOSERS = ["", "", "", "mong được xử lý sớm", "đề nghị kiểm tra", "nhờ cơ quan chức năng vào cuộc",
           "bà con rất bức xúc", "đã báo phường mà chưa thấy ai xuống", "cảm ơn", "tks",
           "giúp dân với", "kéo dài cả tuần nay", "mấy hôm nay rồi", "xin cảm ơn ạ", "!!!",
           "gấp lắm", "có ảnh đính kèm"]

# Each category: whole sentences (hand-written, used as they are) and short problem phrases.
C = {}

C["garbage-uncollected"] = ([
    "Rác ở kiệt nhà em 3 ngày nay không ai đến thu gom, bốc mùi hôi thối",
    "xe rac ko den lay rac may hom nay, rac chat dong o dau kiet",
    "Tổ dân phố em đóng phí vệ sinh đầy đủ mà công nhân môi trường bỏ không thu rác cả tuần",
    "Điểm tập kết rác trên đường Âu Cơ đầy tràn, không thấy xe đến chở đi",
    "thùng rác công cộng đầy ứ mấy ngày chưa ai đổ, ruồi nhặng bu đầy",
    "nha e o kiet 12 nguyen tri phuong rac nha ko ai lay 2 hom r",
    "Công ty môi trường đô thị thu gom rác không đúng giờ, có hôm bỏ luôn không thu",
    "Chiều nay xe rác đi qua nhưng không dừng lấy rác kiệt 88, túi rác để ngoài đường bị chó bới",
    "Rác sinh hoạt ứ đọng trước cổng chợ, ban quản lý chợ không cho thu gom",
    "Tết xong rác trong khu dân cư chất thành đống, không ai thu",
    "Phản ánh việc thu gom rác thải sinh hoạt tại tổ 15 không thường xuyên",
    "Household garbage has not been collected on our lane for four days",
    "tuan nay xe thu gom rac bo qua khu minh, thung rac day ko dong nap dc",
], ["rác không ai thu gom", "xe rác không đến", "thùng rác đầy tràn", "rác ứ đọng mấy ngày",
    "công nhân không thu rác", "rác nhà để ngoài đường không ai lấy", "chưa thu gom rác sinh hoạt",
    "điểm tập kết rác đầy", "rác bốc mùi vì không ai thu"])

C["illegal-dumping"] = ([
    "Có người đi xe máy ban đêm ném bao rác xuống bãi đất trống cạnh nhà tôi",
    "bai dat trong o cuoi kiet bi nguoi ta do rac bay, thanh bai rac tu phat",
    "Người dân vứt rác bừa bãi xuống mương thoát nước sau khu dân cư",
    "Quán ăn đổ thức ăn thừa và rác ra vỉa hè mỗi tối sau khi dọn hàng",
    "Xin lắp camera vì chỗ gốc cây đầu đường ngày nào cũng bị vứt rác không đúng nơi quy định",
    "Có xe ba gác chở rác đến đổ ở khu đất trống phường Hòa Xuân",
    "ai do vut rac ra lo dat trong, rac chat thanh dong, chuot bo ra",
    "Dân đổ rác không đúng giờ, không đúng chỗ, để ngay chân cột điện",
    "Sông Phú Lộc bị người ta vứt cả túi rác, xác chuột xuống",
    "Ven đường tránh có bãi rác tự phát, ai đi qua cũng quăng thêm",
    "People keep dumping bags of rubbish on the empty lot at the end of our alley",
    "đề nghị xử phạt người vứt rác bừa bãi ở đầu hẻm",
], ["vứt rác bừa bãi", "đổ rác không đúng nơi quy định", "bãi rác tự phát", "ném rác ra đất trống",
    "người ta vứt rác xuống mương", "quăng bao rác ven đường", "đổ rác trộm ban đêm",
    "xả rác ra vỉa hè"])

C["construction-waste"] = ([
    "Có xe tải đổ trộm xà bần, gạch vỡ ra bãi đất trống lúc nửa đêm",
    "xa ban chat dong giua duong, xe may di ban dem de te",
    "Đổ trộm phế thải xây dựng khoảng 5 khối lấn cả ra lòng đường",
    "Nhà bên sửa nhà xong để đống gạch đá, cát, bê tông vụn trước cửa cả tháng không dọn",
    "Ven đường Nguyễn Tất Thành bị đổ đất cát và xà bần thành từng đống",
    "xe ben do dat da, xa ban ra ven song luc 2h sang",
    "Phế thải xây dựng đổ tràn lan ở khu quy hoạch, bụi bay mù mịt",
    "Construction rubble — broken concrete and bricks — was dumped on the verge overnight",
    "Ai đó đổ mấy bao vữa, gạch vụn ngay trước nhà văn hóa tổ",
    "bao xa ban do tren via he lau ngay ko ai don",
    "Tàn dư tháo dỡ nhà cũ bị đem vứt xuống bãi biển phía bắc",
], ["đổ trộm xà bần", "phế thải xây dựng", "gạch vỡ bê tông vụn đổ ra đường",
    "đống đất cát xà bần", "xe tải đổ phế thải", "đổ vật liệu xây dựng thải"])

C["beach-litter"] = ([
    "Bãi biển Mỹ Khê sáng nay đầy rác, chai nhựa và túi ni lông dạt vào bờ",
    "bai bien pham van dong rac nhieu qua, khach du lich chup hinh ma ngai",
    "Sau đêm pháo hoa bãi tắm đầy ly nhựa, vỏ lon, không ai dọn",
    "Rác thải nhựa trôi dạt vào bờ biển Nguyễn Tất Thành, bốc mùi",
    "Du khách ăn uống để lại rác trên cát ở bãi tắm Tân Mỹ",
    "Beach littered with plastic bottles and food boxes after the weekend",
    "bãi biển gần Sơn Trà có nhiều xốp, lưới cũ, rác sinh hoạt dạt vào",
    "Người đi tắm biển xả rác trên bãi cát, thùng rác bãi tắm thì thiếu",
    "rac tren bai bien Xuan Thieu nhieu lam, ko thay cong nhan nhat",
    "Bãi biển Nam Ô sau bão rác dạt vào dày đặc",
], ["rác trên bãi biển", "rác dạt vào bờ biển", "bãi tắm đầy rác nhựa", "bờ biển nhiều rác",
    "rác trên cát bãi tắm"])

C["air-pollution"] = ([
    "Xưởng ở khu công nghiệp Hòa Khánh xả khói đen, mùi hôi khét cả khu dân cư",
    "mui hoi thoi tu bai rac Khanh Son bay ve, dan ngui ko chiu noi",
    "Nhà bên cạnh đốt rác, đốt lá cây mỗi chiều, khói bay vào nhà",
    "Bụi từ xe chở đất bay mù mịt, người dân hai bên đường phải đóng cửa cả ngày",
    "Lò đốt vàng mã, khói bụi nhiều, trẻ con ho suốt",
    "Cơ sở sản xuất gây mùi hôi nồng nặc vào ban đêm",
    "Strong chemical smell from a factory every night",
    "khoi bui tu tram tron be tong lam ca xom bi bui",
    "Quán nướng thải khói dầu mỡ thẳng vào nhà dân",
    "Mùi hôi từ trạm xử lý nước thải bốc lên cả khu phố",
    "Nhà máy thép xả khói có mùi lưu huỳnh, người dân bị rát họng",
], ["ô nhiễm không khí", "khói bụi mù mịt", "mùi hôi nồng nặc", "đốt rác gây khói",
    "xả khói đen", "bụi bay vào nhà"])

C["water-pollution"] = ([
    "Nước sông Phú Lộc đen kịt, cá chết nổi trắng mặt sông",
    "cong xa nuoc thai tu nha hang thang ra bien, nuoc den ngom",
    "Cơ sở chế biến hải sản xả nước thải chưa xử lý xuống mương",
    "Hồ Thạc Gián nước đen, bốc mùi, rác nổi",
    "Nước thải sinh hoạt chảy tràn ra biển ở cửa xả Hoàng Sa sau cơn mưa",
    "Factory discharging untreated wastewater into the river",
    "Khu công nghiệp xả nước thải màu lạ xuống kênh, bà con nuôi cá bị thiệt hại",
    "nuoc thai tu lo mo heo chay ra suoi, hoi kinh khung",
    "Nước giếng khoan bị nhiễm bẩn vì xưởng nhuộm bên cạnh",
    "Cửa xả nước thải ra biển Mân Thái có bọt trắng, mùi tanh",
], ["xả nước thải chưa xử lý", "nước sông đen bốc mùi", "cá chết trên sông", "ô nhiễm nguồn nước",
    "nước thải chảy ra biển", "nước hồ ô nhiễm"])

C["food-safety"] = ([
    "Ăn bánh mì ở quán đầu đường xong cả nhà bị ngộ độc, đau bụng",
    "quan com o cho Con che bien do an ban thieu ve sinh, chuot chay trong bep",
    "Cơ sở làm giò chả dùng hàn the, đề nghị kiểm tra",
    "Thịt heo bán ở chợ không có dấu kiểm dịch",
    "Trường mầm non cho các cháu ăn thức ăn ôi thiu",
    "Food poisoning after eating at a street stall in Hai Chau",
    "Hàng trà sữa dùng nguyên liệu không rõ nguồn gốc, quá hạn sử dụng",
    "Bếp ăn công ty mất vệ sinh, công nhân bị tiêu chảy hàng loạt",
    "lo banh mi lam trong nha ve sinh ban, ruoi bu day",
    "Quán hải sản bán ghẹ chết, ốc ôi, ăn xong bị dị ứng",
], ["mất vệ sinh an toàn thực phẩm", "ngộ độc thực phẩm", "thực phẩm không rõ nguồn gốc",
    "thức ăn ôi thiu", "bếp quán ăn bẩn", "hàng quá hạn sử dụng"])

C["noise-karaoke"] = ([
    "Nhà hàng xóm hát karaoke đến 12 giờ đêm, không ai ngủ được",
    "hang xom hat karaoke om toi ca dem, bao nhieu lan r ma ko ai xu",
    "Quán karaoke mở loa kẹo kéo ngoài vỉa hè hát từ chiều đến khuya",
    "Đám cưới trong kiệt hát karaoke ầm ĩ suốt ba ngày",
    "Loa kéo hát karaoke ở công viên bờ sông mỗi tối ồn kinh khủng",
    "Neighbours singing karaoke until 1am every weekend",
    "nha ben canh mo karaoke tu 7h sang, con nho ko ngu dc",
    "Nhậu xong hát hò, mở nhạc karaoke hết cỡ, gõ cửa nhắc thì chửi lại",
    "karaoke tu phat o quan nhau gay on ca xom",
    "Quán karaoke không cách âm, đêm nào cũng hát tới 2h",
], ["hát karaoke gây ồn", "karaoke ầm ĩ ban đêm", "loa kéo hát karaoke", "hàng xóm hát karaoke",
    "karaoke đến khuya", "mở karaoke to"])

C["noise-construction-night"] = ([
    "Công trình bên cạnh đổ bê tông từ 11 giờ đêm đến 3 giờ sáng, máy trộn chạy ầm ầm",
    "cong trinh khoan coc ban dem on ko chiu dc, 1h sang van lam",
    "Thi công đường ống ban đêm, máy cắt bê tông rít liên tục",
    "Xe bồn bê tông ra vào công trường suốt đêm, tiếng máy đóng cọc rung nhà",
    "Construction crew drilling and hammering after midnight",
    "toa nha dang xay tren duong Vo Nguyen Giap thi cong xuyen dem, on qua",
    "Công trình nâng cấp đường làm đêm, máy xúc máy lu chạy đến sáng",
    "Đêm nào cũng nghe tiếng máy khoan, tiếng sắt thép va nhau từ công trình",
    "Thợ xây làm thêm giờ khuya, đập phá nhà cũ ầm ầm lúc 11h đêm",
    "cong trinh lam dem, xe tai cho vat lieu rầm rầm ca dem",
], ["thi công ban đêm gây ồn", "máy khoan ban đêm", "đổ bê tông lúc nửa đêm",
    "công trình làm đêm ồn", "máy đóng cọc ban đêm", "tiếng máy xây dựng ban đêm"])

C["noise-business"] = ([
    "Quán bar trên đường An Thượng mở nhạc sàn đến 2 giờ sáng, rung cả kính nhà",
    "xuong go ben nha chay may cua ca ngay, on dien tai",
    "Nhà hàng tiệc cưới mở loa công suất lớn, ồn ào suốt buổi tối",
    "Quán nhậu khách la hét, hò dô đến khuya",
    "Cơ sở cơ khí đập sắt, mài sắt gây tiếng ồn từ sáng sớm",
    "Bar music so loud that windows shake until 2am",
    "quan cafe mo nhac edm loa to het co, ca khu pho nghe",
    "Xưởng in chạy máy liên tục, tiếng ồn vượt mức cho phép",
    "Nhà hàng mở nhạc sống ngoài trời, ồn không chịu nổi",
    "Tiệm sửa xe nổ máy, rồ ga thử xe cả ngày",
    "pub tren duong Tran Bach Dang mo nhac xap xinh toi 3h",
], ["quán bar mở nhạc to", "xưởng sản xuất gây ồn", "quán nhậu ồn ào", "nhà hàng mở loa lớn",
    "tiếng ồn cơ sở sản xuất", "quán cà phê mở nhạc to"])

C["sidewalk-encroachment"] = ([
    "Quán nhậu bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường",
    "via he bi bay ban ghe het, ko con cho di bo",
    "Hàng rong họp chợ tự phát lấn ra lòng đường gây cản trở giao thông",
    "Cửa hàng để xe, bày hàng hóa lấn chiếm vỉa hè cả mét",
    "Tiệm sửa xe dựng xe và đồ nghề chiếm hết vỉa hè",
    "Shop displays goods all over the pavement, pedestrians walk in the road",
    "Chợ tự phát buổi sáng họp tràn ra giữa đường",
    "quan ca phe keo ban ra tan long duong, ko con cho di",
    "Nhà dân xây bậc tam cấp và mái che lấn ra vỉa hè",
    "Buôn bán lấn chiếm vỉa hè trước cổng trường học",
], ["lấn chiếm vỉa hè", "bày bàn ghế ra vỉa hè", "họp chợ lấn lòng đường", "bán hàng trên vỉa hè",
    "chiếm vỉa hè làm chỗ kinh doanh", "buôn bán tràn ra lòng đường"])

C["illegal-advertising"] = ([
    "Tờ rơi khoan cắt bê tông, hút hầm cầu dán đầy cột điện",
    "quang cao cho vay nong dan kin cot dien, tuong nha",
    "Băng rôn quảng cáo treo trái phép trên cây xanh dọc đường",
    "Biển quảng cáo dựng trên vỉa hè che mất tầm nhìn",
    "Số điện thoại rao vặt sơn lên tường nhà dân",
    "Illegal flyers and loan-shark ads stuck on every lamp post",
    "Người ta phát tờ rơi, nhét vào cửa nhà, xả xuống đường",
    "bien quang cao dien tu nhap nhay gan nga tu de tai nan",
    "Quảng cáo bất động sản cắm cọc khắp ven đường",
    "Dán quảng cáo lên biển báo giao thông, không đọc được biển",
], ["quảng cáo rao vặt trái phép", "tờ rơi dán cột điện", "băng rôn quảng cáo trái phép",
    "biển quảng cáo không phép", "dán quảng cáo lên tường", "rao vặt cho vay nặng lãi"])

C["stray-animals"] = ([
    "Chó thả rông trong kiệt cắn người, không rọ mõm",
    "cho tha rong di ve bua bai, sua ca dem, cắn con nit",
    "Bò thả rông trên đường Nguyễn Tất Thành gây nguy hiểm cho xe máy",
    "Đàn chó hoang tụ tập ở bãi biển, du khách sợ",
    "Dog off the leash bit my child in the park",
    "Hàng xóm dắt chó đi vệ sinh ngoài vỉa hè không dọn",
    "tran bo de chay loang ngoai duong, ko ai giu",
    "Chó dại cắn hai người ở tổ 10",
    "Nhà bên nuôi chó không xích, chó chạy ra cắn xe",
    "Gia súc thả rông ăn cây xanh, phóng uế trên đường",
], ["chó thả rông", "chó cắn người", "bò thả rông trên đường", "chó hoang", "gia súc thả rông",
    "chó không rọ mõm"])

C["street-light-broken"] = ([
    "Đèn đường trong kiệt tắt cả tuần, tối om, sợ bị cướp",
    "den duong o kiet nha e hu r, toi thui",
    "Trụ đèn chiếu sáng trên đường Lê Duẩn chập chờn, lúc sáng lúc tắt",
    "Cả dãy đèn đường ven sông không sáng",
    "Street light out on our lane for a week",
    "Bóng đèn đường bị vỡ, dây điện lòi ra ngoài",
    "den chieu sang cong cong ko sang tu toi qua",
    "Đèn đường ban ngày vẫn sáng, ban đêm lại tắt",
    "Cột đèn chiếu sáng bị xe đâm nghiêng",
    "Đèn công viên bị hỏng, tối thui, thanh niên tụ tập",
], ["đèn đường hư", "đèn chiếu sáng không sáng", "kiệt tối om vì đèn hỏng", "trụ đèn đường chập chờn",
    "bóng đèn đường cháy", "đèn công cộng tắt"])

C["pothole"] = ([
    "Mặt đường Tôn Đức Thắng có ổ gà to, tối qua có người té xe",
    "duong nhieu o ga qua, mua xuong ko thay dc, te xe hoai",
    "Đường bê tông trong kiệt bị nứt vỡ, sụt lún",
    "Ổ gà giữa làn xe máy, sâu khoảng 20 phân",
    "Big pothole in the middle of the lane, two bikes fell",
    "Sau khi đào đường lắp cống, đơn vị thi công trả mặt đường lồi lõm",
    "mat duong bong troc, da dam van vang",
    "Đường nhựa hư hỏng nặng, nhiều ổ voi ổ gà",
    "Mặt đường lún sâu trước cổng chợ, nước đọng thành vũng",
    "Đường xuống cấp, lớp nhựa bong ra, xe chạy xóc",
], ["ổ gà giữa đường", "mặt đường hư hỏng", "đường sụt lún", "ổ voi ổ gà", "đường bong tróc nhựa",
    "mặt đường nứt vỡ"])

C["drain-clogged"] = ([
    "Mưa to là kiệt nhà em ngập sâu nửa mét vì cống tắc",
    "cong thoat nuoc bi tac, nuoc den tran ra duong, hoi thoi",
    "Hố ga bị rác và đất lấp kín, nước không thoát được",
    "Mưa chưa đầy 30 phút đường Điện Biên Phủ đã ngập",
    "Drain blocked, the street floods after every rain",
    "Cống rãnh ứ đọng, nước tù đọng bốc mùi, muỗi nhiều",
    "moi lan mua la ngap, nuoc tran vao nha",
    "Mương thoát nước bị bùn lắng đầy, cỏ mọc kín",
    "Song chắn rác cửa thu nước bị lá cây bịt kín, đường ngập",
    "Ngập úng cục bộ ở ngã tư sau mưa lớn, xe chết máy hàng loạt",
], ["cống bị tắc", "ngập úng sau mưa", "nước không thoát được", "mương thoát nước ứ đọng",
    "đường ngập khi mưa", "cống rãnh nghẹt"])

C["manhole-cover"] = ([
    "Nắp hố ga trên vỉa hè bị mất, hố sâu hoắm, rất nguy hiểm",
    "nap ho ga bi vo, xe may sup banh",
    "Nắp cống bị kênh lên, xe chạy qua kêu cồm cộp",
    "Mất nắp ga giữa đường, người dân phải cắm cành cây báo hiệu",
    "Manhole cover missing on the sidewalk, a child nearly fell in",
    "Nắp hố ga bằng gang bị trộm lấy",
    "nap cong lech, tre con di hoc de sup chan",
    "Tấm đan nắp mương bị gãy, lộ hố sâu",
    "Nắp hố ga lún thấp hơn mặt đường, xe máy vấp",
    "Hố ga không có nắp, tối qua có người sụp xuống",
], ["mất nắp hố ga", "nắp cống bị vỡ", "hố ga không có nắp", "nắp ga bị kênh", "nắp hố ga hư hỏng"])

C["fallen-tree"] = ([
    "Cây xanh ngã đổ chắn ngang đường sau cơn giông tối qua",
    "cay bi gay do chan het duong, xe ko qua dc",
    "Cành cây lớn gãy rơi xuống lòng đường, đè lên xe máy",
    "Bão làm bật gốc cây phượng trước trường, nằm chắn lối đi",
    "Tree fell across the road in the storm",
    "cay do de len day dien, nguy hiem",
    "Cây đổ chắn ngang kiệt, người dân không ra vào được",
    "Nhánh cây gãy treo lơ lửng trên dây điện",
    "Sau mưa lớn cây xà cừ đổ nghiêng chắn nửa đường",
    "Cây ngã đè lên mái nhà dân",
], ["cây đổ chắn đường", "cây gãy ngã ra đường", "cành cây gãy rơi xuống đường", "cây bật gốc",
    "cây ngã đè"])

C["tree-dangerous"] = ([
    "Cây xà cừ trước nhà mục gốc, nghiêng hẳn ra đường, sợ mùa bão đổ",
    "cay cao qua, canh vuon ra sat day dien, de nghi cat tia",
    "Cây sao đen có nhiều cành khô, gió mạnh là rơi",
    "Đề nghị cắt tỉa cây xanh trước mùa mưa bão",
    "Dead branches hanging over the road, the tree needs pruning",
    "Rễ cây làm nứt vỉa hè, thân cây bị sâu đục rỗng",
    "cay nghieng nguy co do, ko ai cat tia",
    "Tán cây che kín đèn đường và biển báo, cần tỉa bớt",
    "Cây trong trường học bị mối mọt, nguy cơ gãy",
    "Cây cổ thụ có dấu hiệu chết khô, sợ đổ vào nhà",
], ["cây có nguy cơ gãy đổ", "cần cắt tỉa cây", "cây nghiêng", "cành khô sắp rơi",
    "cây mục gốc", "cây vướng dây điện cần tỉa"])

C["water-outage"] = ([
    "Khu em mất nước từ sáng hôm qua tới giờ chưa có lại",
    "cup nuoc 2 ngay r, ko co nuoc tam giat nau an",
    "Nước máy chảy yếu, tối mới có vài tiếng",
    "Water supply cut off for two days without notice",
    "Mất nước sinh hoạt mà công ty cấp nước không thông báo",
    "vo ong nuoc tren duong, khu minh mat nuoc",
    "Nước máy chảy ra đục ngầu, có mùi clo",
    "Cả tổ dân phố không có nước sinh hoạt ba ngày",
    "Áp lực nước yếu, tầng hai không lên được nước",
    "Bể ống nước chính, cả phường bị cúp nước",
], ["mất nước sinh hoạt", "cúp nước", "không có nước máy", "nước máy chảy yếu",
    "nước sạch không có", "ngừng cấp nước"])

C["traffic-sign-damaged"] = ([
    "Biển báo cấm rẽ trái bị cây che khuất, tài xế không thấy",
    "bien bao bi xe dung cong queo, nam duoi dat",
    "Biển báo giao thông ở ngã ba bị bạc màu, không đọc được",
    "Traffic sign knocked down at the junction",
    "Biển chỉ dẫn đường bị gãy cột",
    "bien bao toc do bi quay nguoc huong",
    "Vạch sơn đường và biển báo đi bộ bị mờ hết",
    "Biển cấm đỗ xe bị dán quảng cáo che kín",
    "Biển báo nguy hiểm đường cong bị mất",
    "Biển báo bị uốn cong sau vụ tai nạn",
], ["biển báo bị che khuất", "biển báo giao thông hư", "biển báo bị gãy", "biển báo bị mất",
    "biển báo mờ không đọc được"])

C["traffic-light-out"] = ([
    "Đèn tín hiệu giao thông ngã tư Nguyễn Văn Linh - Hàm Nghi không hoạt động",
    "den xanh do o nga tu tat ca sang, xe chay lon xon",
    "Đèn giao thông chỉ nhấp nháy vàng từ hôm qua",
    "Traffic lights dead at the intersection, near miss this morning",
    "den tin hieu bi hu, ko ai dieu tiet",
    "Đèn đỏ và đèn xanh bật cùng lúc",
    "Cột đèn tín hiệu bị xe tải tông gãy",
    "Đèn đếm giây ở ngã tư bị hỏng, chỉ hiện số sai",
    "Mất điện đèn tín hiệu vòng xoay",
    "Đèn giao thông cho người đi bộ không sáng",
], ["đèn giao thông không hoạt động", "đèn xanh đỏ bị tắt", "đèn tín hiệu hỏng",
    "đèn giao thông nhấp nháy vàng", "đèn đỏ bị hư"])

C["illegal-parking"] = ([
    "Ô tô đỗ chắn ngay cổng nhà, không lấy xe ra được",
    "xe hoi dau tren via he ca dem, chan het loi di",
    "Xe tải đậu dưới lòng đường cả ngày, gây ùn tắc",
    "Car parked across my gate every night",
    "Taxi đỗ đón khách trái phép trước sân bay",
    "oto dau 2 ben duong hep, xe cuu hoa ko vao dc",
    "Xe khách dừng đỗ bắt khách dọc đường",
    "Bãi giữ xe tự phát lấn ra lòng đường",
    "Xe container đậu qua đêm trong khu dân cư",
    "Ô tô đậu ở nơi có biển cấm đỗ",
], ["đỗ xe trái phép", "ô tô đậu chắn cổng", "xe đậu trên vỉa hè", "đậu xe dưới lòng đường",
    "xe tải đỗ cả ngày", "bãi giữ xe tự phát"])

C["traffic-congestion"] = ([
    "Giờ tan tầm ngã tư Điện Biên Phủ - Nguyễn Tri Phương kẹt cứng",
    "ket xe qua, 30p chua qua dc cau",
    "Ùn tắc kéo dài trên cầu Rồng mỗi tối cuối tuần",
    "Traffic jam every morning near the school gate",
    "Giờ đưa đón học sinh xe đỗ trước cổng trường gây tắc đường",
    "duong tac cung vi rao chan thi cong",
    "Ùn tắc nghiêm trọng tại nút giao gần sân bay",
    "Xe cộ ùn ứ vì không có người điều tiết giao thông",
    "Tắc đường do tai nạn, cả cây số xe nhích từng chút",
    "Khu vực chợ Hàn thường xuyên kẹt xe",
], ["ùn tắc giao thông", "kẹt xe", "tắc đường giờ cao điểm", "xe cộ ùn ứ", "kẹt cứng ngã tư"])

C["illegal-construction"] = ([
    "Nhà bên cạnh xây thêm tầng 4 không có giấy phép",
    "nha nay xay sai phep, lan sang dat nha e",
    "Xây dựng trái phép trên đất nông nghiệp ở Hòa Vang",
    "Neighbour building an extra floor without a permit",
    "Công trình xây vượt chiều cao được cấp phép",
    "xay nha ko phep tren dat quy hoach cong vien",
    "Cơi nới nhà lấn ra ngoài ranh giới, làm ban công đua ra đường",
    "Nhà xây không đúng giấy phép, chính quyền chưa xử lý",
    "Dựng nhà tạm trái phép trên đất dự án",
    "Xây tường rào kiên cố không phép chắn lối đi chung",
], ["xây dựng không phép", "xây sai phép", "cơi nới trái phép", "xây thêm tầng không phép",
    "công trình không có giấy phép"])

C["construction-site-unsafe"] = ([
    "Công trình bên cạnh đào móng làm nhà tôi nứt tường, lún nền",
    "cong trinh xay ko che chan, vat lieu rot xuong duong",
    "Giàn giáo công trình không có lưới che, gạch đá rơi trúng người đi đường",
    "Building site next door cracked our walls",
    "Hố đào công trình không rào chắn, không biển báo",
    "nha ben dao ham lam nha minh nghieng, nut",
    "Cẩu tháp xoay qua đầu nhà dân, rất nguy hiểm",
    "Công nhân làm trên cao không dây an toàn",
    "Thi công tầng hầm gây lún sụt vỉa hè",
    "Công trình để vật liệu ngổn ngang, không che bụi",
], ["công trình mất an toàn", "thi công làm nứt nhà", "lún nứt nhà bên cạnh",
    "giàn giáo không che chắn", "vật liệu rơi từ công trình"])

C["land-dispute"] = ([
    "Gia đình tôi tranh chấp ranh giới đất với nhà hàng xóm đã 3 năm",
    "tranh chap dat voi ng ta, phuong hoa giai ko thanh",
    "Anh em trong nhà tranh chấp đất thừa kế",
    "Land boundary dispute with the neighbour",
    "Người khác tự ý rào lô đất nhà tôi đã có sổ đỏ",
    "dat nha minh bi ng khac chiem, lam hang rao lan qua",
    "Đề nghị giải quyết tranh chấp quyền sử dụng đất",
    "Hai bên tranh chấp lối đi chung, chặn không cho đi",
    "Tranh chấp đất đai kéo dài chưa được giải quyết",
    "Đo đạc lại thì ranh giới thửa đất sai với hàng xóm",
], ["tranh chấp đất đai", "tranh chấp ranh giới đất", "tranh chấp đất thừa kế",
    "hòa giải tranh chấp đất", "bị lấn đất nhà"])

C["public-land-encroachment"] = ([
    "Có người rào chiếm đất công viên làm bãi giữ xe",
    "dat cong bi ng dan lan chiem xay nha tam",
    "Hộ dân lấn chiếm hành lang bờ sông để trồng rau, dựng quán",
    "Someone fenced off public land by the river",
    "Chiếm đất công làm quán nhậu",
    "lan chiem dat cay xanh lam kho chua hang",
    "Đất dự án bỏ hoang bị người dân chiếm dụng",
    "Rào chắn chiếm dụng hành lang an toàn đường bộ",
    "Lấn chiếm đất công ở khu tái định cư",
    "Xây chuồng trại trên đất công của phường",
], ["lấn chiếm đất công", "chiếm đất công viên", "rào đất công", "chiếm hành lang bờ sông",
    "chiếm dụng đất công"])

C["land-certificate-delay"] = ([
    "Tôi nộp hồ sơ cấp sổ đỏ từ năm ngoái đến nay chưa nhận được",
    "lam so hong 8 thang chua co, hen mai",
    "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất bị trễ hẹn nhiều lần",
    "Land title certificate still not issued after a year",
    "Văn phòng đăng ký đất đai hẹn trả sổ đỏ rồi lại lùi",
    "cho cap giay chung nhan qsd dat lau qua",
    "Sang tên sổ đỏ nộp hồ sơ 6 tháng chưa xong",
    "Chưa được cấp giấy chứng nhận nhà đất dù đã nộp đủ thuế",
    "Hồ sơ tách thửa nằm ở phòng tài nguyên môi trường quá hạn",
    "Sổ hồng căn hộ chung cư chậm cấp",
], ["chậm cấp sổ đỏ", "chưa được cấp giấy chứng nhận quyền sử dụng đất", "sổ hồng trễ hẹn",
    "hồ sơ đất đai quá hạn", "chờ cấp sổ đỏ lâu"])

C["admin-procedure-delay"] = ([
    "Hồ sơ xin giấy phép kinh doanh nộp đã quá hạn mà chưa có kết quả",
    "lam giay khai sinh cho con hen hoai ko xong",
    "Nộp hồ sơ trên dịch vụ công trực tuyến một tháng chưa được xử lý",
    "My business licence application is overdue",
    "Thủ tục chứng thực ở phường chậm, phải đi lại nhiều lần",
    "ho so xin phep xay dung tre hen 2 lan r",
    "Bộ phận một cửa hẹn trả kết quả nhưng đến ngày lại bảo chưa có",
    "Đăng ký thường trú đã nộp đủ giấy tờ mà chưa được duyệt",
    "Hồ sơ hưởng chế độ chính sách chậm giải quyết",
    "Thủ tục hành chính rườm rà, yêu cầu bổ sung nhiều lần",
], ["chậm giải quyết thủ tục hành chính", "hồ sơ trễ hẹn", "thủ tục quá hạn",
    "nộp hồ sơ chưa có kết quả", "một cửa trả kết quả chậm"])

C["official-conduct"] = ([
    "Cán bộ tiếp dân ở phường thái độ hách dịch, quát nạt người dân",
    "can bo phuong noi chuyen coc loc, ko huong dan gi",
    "Công chức một cửa đi làm muộn, bỏ vị trí trong giờ làm việc",
    "The official at the ward office was rude and asked for money",
    "Cán bộ gợi ý đưa tiền để làm hồ sơ nhanh",
    "nhan vien tiep dan luot dien thoai, de dan doi ca tieng",
    "Cán bộ địa chính gây khó dễ, nhũng nhiễu",
    "Thái độ phục vụ của công chức không đúng mực",
    "Cán bộ phường uống rượu trong giờ hành chính",
    "Công an khu vực xử lý thiếu công tâm",
], ["thái độ cán bộ hách dịch", "cán bộ nhũng nhiễu", "công chức gây khó dễ",
    "cán bộ tiếp dân cộc cằn", "tác phong cán bộ"])

C["public-disorder"] = ([
    "Thanh niên tụ tập đua xe, nẹt pô trên đường Võ Nguyên Giáp lúc nửa đêm",
    "dua xe toi nao cung co, bop coi, rú ga am i",
    "Nhóm thanh niên đánh nhau trước quán nhậu",
    "Street racing on the beach road every weekend night",
    "Tụ tập say xỉn, chửi bới gây mất trật tự trong kiệt",
    "bon tre cam dao rượt nhau ngoai duong",
    "Gây rối trật tự công cộng ở công viên bờ sông",
    "Mấy thanh niên bốc đầu xe, lạng lách trên cầu",
    "Người say rượu quậy phá, đập đồ nhà hàng xóm",
    "Nhóm người tụ tập ném đá xe chạy qua",
], ["đua xe trái phép", "tụ tập gây rối", "đánh nhau ngoài đường", "nẹt pô lạng lách",
    "gây mất trật tự công cộng"])

C["social-evils"] = ([
    "Nhà cuối kiệt tụ tập đánh bạc, sát phạt nhau suốt đêm",
    "co nguoi choi ma tuy trong nha hoang, kim tiem vut bua bai",
    "Nghi có tụ điểm mua bán ma túy trước quán cà phê",
    "Suspected drug dealing near the school",
    "Lô đề, cá độ bóng đá công khai ở quán nước",
    "danh bai an tien o quan tra da, ca dem",
    "Có dấu hiệu mại dâm trá hình trong tiệm massage",
    "Thanh niên hút bóng cười, hàng nước bán bóng cười",
    "Kim tiêm, ống chích vứt ở bãi đất trống",
    "Sòng bạc trong nhà dân, người lạ ra vào liên tục",
], ["đánh bạc", "ma túy", "tụ điểm ma túy", "cờ bạc cá độ", "mại dâm", "tệ nạn xã hội"])

C["tourist-overcharging"] = ([
    "Quán hải sản ở Mân Thái tính giá gấp ba với khách du lịch",
    "taxi chat chem, 5km ma tinh 300k",
    "Xích lô chở khách Tây một vòng rồi đòi một triệu",
    "Seafood restaurant charged tourists three times the menu price",
    "Bán hàng lưu niệm ở Ngũ Hành Sơn nói thách, ép khách mua",
    "gui xe o bai bien bi thu 50k mot xe may",
    "Xe ôm ở ga Đà Nẵng ép giá khách",
    "Quán không niêm yết giá, tính tiền cắt cổ",
    "Khách sạn mùa pháo hoa tăng giá, ép khách",
    "Thuê ghế dù ở bãi biển bị tính tiền gấp đôi",
], ["chặt chém du khách", "ép giá khách du lịch", "tính tiền cắt cổ", "không niêm yết giá",
    "nói thách khách du lịch"])

C["other"] = ([
    "Cho hỏi lịch cắt điện khu vực Thanh Khê tuần này",
    "minh muon hoi thu tuc dang ky xe may o dau",
    "Xin số điện thoại của phường Hòa Minh",
    "How do I contact the ward office?",
    "Cảm ơn tổng đài đã xử lý nhanh phản ánh lần trước",
    "alo alo",
    "Tôi muốn góp ý về việc đặt tên đường mới",
    "cho hoi 1022 lam viec may gio",
    "Đề nghị thành phố tổ chức thêm hoạt động cho người cao tuổi",
    "Hỏi về chính sách hỗ trợ học phí cho con",
    "test",
    "Tôi muốn khen ngợi cán bộ phường đã giúp đỡ nhiệt tình",
    "Hỏi cách đăng ký tài khoản dịch vụ công",
    "ok cam on",
], ["hỏi thông tin", "góp ý chung", "muốn hỏi", "xin số điện thoại", "cảm ơn tổng đài",
    "hỏi thủ tục"])


SHORT = [("không", ["ko", "k", "hok", "khong"]), ("được", ["dc", "đc", "duoc"]),
         ("người", ["ng", "nguoi"]), ("gì", ["j", "gi"]), ("bạn", ["bn", "ban"]),
         ("với", ["vs", "voi"]), ("rồi", ["r", "roi"]), ("anh", ["a"]), ("em", ["e"]),
         ("quá", ["qa", "qua"]), ("nhà", ["nha"]), ("phường", ["p.", "f"]),
         ("đường", ["đg", "duong"]), ("kiệt", ["k", "kiet"]), ("giờ", ["h"])]


def strip(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def noisy(s, rng):
    words = s.split()
    out = []
    for w in words:
        lw = w.lower()
        for full, subs in SHORT:
            if lw == full and rng.random() < 0.6:
                w = rng.choice(subs)
                break
        if len(w) > 4 and rng.random() < 0.04:
            i = rng.randrange(1, len(w) - 1)
            w = w[:i] + w[i + 1:] if rng.random() < 0.5 else w[:i] + w[i] + w[i:]
        out.append(w)
    s = " ".join(out)
    r = rng.random()
    if r < 0.45:
        s = strip(s)
    if rng.random() < 0.5:
        s = s.lower()
    return s


def composed(phrases, rng):
    core = rng.choice(phrases)
    parts = [rng.choice(OPENERS), core]
    if rng.random() < 0.75:
        parts.append(place(rng))
    if rng.random() < 0.3:
        other = rng.choice(phrases)
        if other != core:
            parts.append(", " + other)
    parts.append(rng.choice(CLOSERS))
    s = " ".join(p for p in parts if p).replace(" ,", ",")
    return s[0].upper() + s[1:]


def main():
    rng = random.Random(SEED)
    rows = []
    for code, (sentences, phrases) in C.items():
        texts = []
        for s in sentences:
            texts.append(s)
            if rng.random() < 0.5:
                texts.append(s + " " + place(rng))
        for s in sentences:
            texts.append(noisy(s, rng))
        seen = set(texts)
        tries = 0
        while len(texts) < PER_CATEGORY and tries < 1000:
            tries += 1
            t = composed(phrases, rng)
            if rng.random() < 0.6:
                t = noisy(t, rng)
            if t not in seen:
                seen.add(t)
                texts.append(t)
        rows += [{"text": t, "category": code} for t in texts]
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "categorizer", "corpus.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
        f.write("\n]\n")
    print(f"{len(rows)} texts, {len(C)} categories -> {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
