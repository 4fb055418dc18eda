// Bad options are reported with a clear message and a non-zero exit.
// RUN: not cw-opt %s --cw-prune=sparsity=1.5 2>&1 | FileCheck %s --check-prefix=SPARSITY
// RUN: not cw-opt %s --cw-prune=threshold=-1 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// RUN: not cw-opt %s --cw-prune="sparsity=0.5 threshold=0.1" 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not cw-opt %s --cw-cluster=bits=0 2>&1 | FileCheck %s --check-prefix=BITS0
// RUN: not cw-opt %s --cw-cluster=bits=9 2>&1 | FileCheck %s --check-prefix=BITS9
// RUN: not cw-opt %s --cw-cluster=init=kmeans++ 2>&1 | FileCheck %s --check-prefix=INIT
// RUN: not cw-opt %s --cw-encode=encoding=zip 2>&1 | FileCheck %s --check-prefix=ENCODING
// RUN: not cw-opt %s --cw-encode="encoding=csr gap-bits=12" 2>&1 | FileCheck %s --check-prefix=GAPBITS
// RUN: not cw-opt %s --cw-encode="encoding=csr csr-lanes=8" 2>&1 | FileCheck %s --check-prefix=LANES
// RUN: not cw-opt %s --cw-encode="encoding=csr csr-lanes=16 max-code-length=9" 2>&1 | FileCheck %s --check-prefix=LANESLEN
// RUN: not cw-opt %s --cw-encode="encoding=csr csr-lanes=16 huffman-gaps=false" 2>&1 | FileCheck %s --check-prefix=LANESFIXED
// RUN: not cw-opt %s --cw-encode="encoding=sz error-bound=0" 2>&1 | FileCheck %s --check-prefix=EB
// RUN: not cw-opt %s --cw-encode="encoding=sz predictor=cubic" 2>&1 | FileCheck %s --check-prefix=PREDICTOR
// RUN: not cw-opt %s --cw-encode="encoding=wavelet wavelet-mode=tree" 2>&1 | FileCheck %s --check-prefix=WMODE
// RUN: not cw-opt %s --cw-prune="layer=fc9:sparsity=0.5" 2>&1 | FileCheck %s --check-prefix=NOLAYER
// RUN: not cw-opt %s --cw-prune="layer=fc1:bits=3" 2>&1 | FileCheck %s --check-prefix=WRONGKEY
// RUN: not cw-opt %s --cw-compress="layer=fc1:colour=red" 2>&1 | FileCheck %s --check-prefix=UNKNOWNKEY
// RUN: not cw-opt %s --cw-compress="layer=fc1:sparsity=2" 2>&1 | FileCheck %s --check-prefix=BADVALUE
// RUN: not cw-opt %s --cw-compress="layer=fc1" 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not cw-opt %s --cw-compress=bits=0 2>&1 | FileCheck %s --check-prefix=CBITS0
// RUN: not cw-opt %s --cw-compress="layer=fc1:sparsity=abc" 2>&1 | FileCheck %s --check-prefix=NOTNUM
// RUN: not cw-opt %s --cw-compress="layer=fc1:skip=maybe" 2>&1 | FileCheck %s --check-prefix=NOTBOOL
// RUN: not cw-opt %s --cw-compress="layer=fc1:bits" 2>&1 | FileCheck %s --check-prefix=NOVALUE
// RUN: not cw-opt %s --cw-compress="layer=fc1:gap-bits=-1" 2>&1 | FileCheck %s --check-prefix=NEGGAP
// RUN: not cw-opt %s --cw-compress="layer=fc1:huffman-gaps=2" 2>&1 | FileCheck %s --check-prefix=GAPFLAG
// RUN: not cw-opt %s --cw-compress="layer=fc1:error-bound=x" 2>&1 | FileCheck %s --check-prefix=EBNAN
// RUN: not cw-opt %s --cw-encode=encoding=csr 2>&1 | FileCheck %s --check-prefix=UNCLUSTERED
// RUN: not cw-opt %s --cw-compress=report=/nonexistent/dir/r.txt 2>&1 | FileCheck %s --check-prefix=REPORT

// LANES: error: cw-encode: #cw.csr: lanes must be 0 or 16, got 8
// LANESLEN: error: cw-encode: #cw.csr: max_code_length must be in [2, 8], got 9 (an entry of the lane-interleaved layout takes at most 16 bits)
// LANESFIXED: error: cw-encode: #cw.csr: lanes = 16 needs huffman_indices and huffman_gaps
// SPARSITY: error: cw-prune: sparsity must be in [0, 1], got 1.5
// THRESHOLD: error: cw-prune: threshold must be a finite number >= 0, got -1
// BOTH: error: cw-prune: set either sparsity= or threshold=, not both
// BITS0: error: cw-cluster: bits must be in [1, 8] (k = 2^bits clusters, at most 256), got 0
// BITS9: error: cw-cluster: bits must be in [1, 8] (k = 2^bits clusters, at most 256), got 9
// INIT: error: cw-cluster: invalid value 'kmeans++' for init (expected linear, density, forgy or optimal)
// ENCODING: error: cw-encode: unknown encoding 'zip' (expected dense, csr, huffman, bloomier, wavelet or sz)
// GAPBITS: error: cw-encode: #cw.csr: gap_bits must be in [3, 8], got 12
// EB: error: cw-encode: error-bound must be a positive finite number, got 0
// PREDICTOR: error: cw-encode: unknown predictor 'cubic' (expected prev, lorenzo or linear)
// WMODE: error: cw-encode: unknown wavelet-mode 'tree' (expected element, block or sparse)
// NOLAYER: error: cw-prune: layer override 'fc9:sparsity=0.5' names no layer; the layers are: fc1 main.matmul1
// WRONGKEY: error: cw-prune: unknown key 'bits' in layer override 'fc1:bits=3'
// UNKNOWNKEY: error: cw-compress: unknown key 'colour' in layer override 'fc1:colour=red'
// BADVALUE: error: cw-compress: layer override 'fc1:sparsity=2': sparsity must be in [0, 1], got 2
// MALFORMED: error: cw-compress: malformed layer override 'fc1' (expected NAME:key=value[:key=value...])
// CBITS0: error: cw-compress: bits must be in [1, 8]
// NOTNUM: error: cw-compress: layer override 'fc1:sparsity=abc': invalid value 'abc' for sparsity (expected a number in [0, 1])
// NOTBOOL: error: cw-compress: layer override 'fc1:skip=maybe': invalid value 'maybe' for skip (expected true or false)
// NOVALUE: error: cw-compress: malformed setting 'bits' in layer override 'fc1:bits' (expected key=value)
// NEGGAP: error: cw-compress: layer override 'fc1:gap-bits=-1': invalid value '-1' for gap-bits (expected a non-negative integer)
// GAPFLAG: error: cw-compress: layer override 'fc1:huffman-gaps=2': invalid value '2' for huffman-gaps (expected true or false)
// EBNAN: error: cw-compress: layer override 'fc1:error-bound=x': invalid value 'x' for error-bound (expected a positive number)
// UNCLUSTERED: error: {{.*}}cw-encode: layer 'main.matmul1': it has 600 distinct nonzero values, more than the 256 a codebook holds: run cw-cluster first (or use encoding=sz)
// REPORT: error: cw-compress: cannot write report '/nonexistent/dir/r.txt'

func.func @main(%x: tensor<1x1x4xf32>) -> tensor<1x1x300xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<[[[0.125, -0.25], [0.375, -0.5], [0.0, 0.0], [0.875, -1.0]]]> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("fc1")
  %w2 = "tosa.const"() {values = dense_resource<w2> : tensor<1x2x300xf32>} : () -> tensor<1x2x300xf32>
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x300xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x300xf32>
  return %y : tensor<1x1x300xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w2: "0x040000006F1283BA6F12033BA69B44BB6F12833B0AD7A3BBA69BC43B4260E5BB6F12033CBC7413BC0AD7233C583934BCA69B443CF4FD54BC4260653C8FC275BC6F12833C96438BBCBC74933CE3A59BBC0AD7A33C3108ACBC5839B43C7F6ABCBCA69BC43CCDCCCCBCF4FDD43C1B2FDDBC4260E53C6891EDBC8FC2F53CB6F3FDBC6F12033D022B07BD96430B3D295C0FBDBC74133D508D17BDE3A51B3D77BE1FBD0AD7233D9EEF27BD31082C3DC52030BD5839343DEC5138BD7F6A3C3D128340BDA69B443D39B448BDCDCC4C3D60E550BDF4FD543D871659BD1B2F5D3DAE4761BD4260653DD57869BD68916D3DFCA971BD8FC2753D23DB79BDB6F37D3D250681BD6F12833DB81E85BD022B873D4C3789BD96438B3DDF4F8DBD295C8F3D736891BDBC74933D068195BD508D973D9A9999BDE3A59B3D2DB29DBD77BE9F3DC1CAA1BD0AD7A33D54E3A5BD9EEFA73DE7FBA9BD3108AC3D7B14AEBDC520B03D0E2DB2BD5839B43DA245B6BDEC51B83D355EBABD7F6ABC3DC976BEBD1283C03D5C8FC2BDA69BC43DF0A7C6BD39B4C83D83C0CABDCDCCCC3D17D9CEBD60E5D03DAAF1D2BDF4FDD43D3D0AD7BD8716D93DD122DBBD1B2FDD3D643BDFBDAE47E13DF853E3BD4260E53D8B6CE7BDD578E93D1F85EBBD6891ED3DB29DEFBDFCA9F13D46B6F3BD8FC2F53DD9CEF7BD23DBF93D6DE7FBBDB6F3FD3D000000BE2506013E4A0C02BE6F12033E931804BEB81E053EDD2406BE022B073E273108BE4C37093E713D0ABE96430B3EBA490CBEDF4F0D3E04560EBE295C0F3E4E6210BE7368113E986E12BEBC74133EE17A14BE0681153E2B8716BE508D173E759318BE9A99193EBE9F1ABEE3A51B3E08AC1CBE2DB21D3E52B81EBE77BE1F3E9CC420BEC1CA213EE5D022BE0AD7233E2FDD24BE54E3253E79E926BE9EEF273EC3F528BEE7FB293E0C022BBE31082C3E560E2DBE7B142E3EA01A2FBEC520303EE92631BE0E2D323E333333BE5839343E7D3F35BEA245363EC74B37BEEC51383E105839BE355E3A3E5A643BBE7F6A3C3EA4703DBEC9763E3EEE7C3FBE1283403E378941BE5C8F423E819543BEA69B443ECBA145BEF0A7463E14AE47BE39B4483E5EBA49BE83C04A3EA8C64BBECDCC4C3EF2D24DBE17D94E3E3BDF4FBE60E5503E85EB51BEAAF1523ECFF753BEF4FD543E190456BE3D0A573E621058BE8716593EAC1C5ABED1225B3EF6285CBE1B2F5D3E3F355EBE643B5F3E894160BEAE47613ED34D62BEF853633E1D5A64BE4260653E666666BE8B6C673EB07268BED578693EFA7E6ABE1F856B3E448B6CBE68916D3E8D976EBEB29D6F3ED7A370BEFCA9713E21B072BE46B6733E6ABC74BE8FC2753EB4C876BED9CE773EFED478BE23DB793E48E17ABE6DE77B3E91ED7CBEB6F37D3EDBF97EBE0000803E128380BE2506813E378981BE4A0C823E5C8F82BE6F12833E819583BE9318843EA69B84BEB81E853ECBA185BEDD24863EF0A786BE022B873E14AE87BE2731883E39B488BE4C37893E5EBA89BE713D8A3E83C08ABE96438B3EA8C68BBEBA498C3ECDCC8CBEDF4F8D3EF2D28DBE04568E3E17D98EBE295C8F3E3BDF8FBE4E62903E60E590BE7368913E85EB91BE986E923EAAF192BEBC74933ECFF793BEE17A943EF4FD94BE0681953E190496BE2B87963E3D0A97BE508D973E621098BE7593983E871699BE9A99993EAC1C9ABEBE9F9A3ED1229BBEE3A59B3EF6289CBE08AC9C3E1B2F9DBE2DB29D3E3F359EBE52B89E3E643B9FBE77BE9F3E8941A0BE9CC4A03EAE47A1BEC1CAA13ED34DA2BEE5D0A23EF853A3BE0AD7A33E1D5AA4BE2FDDA43E4260A5BE54E3A53E6666A6BE79E9A63E8B6CA7BE9EEFA73EB072A8BEC3F5A83ED578A9BEE7FBA93EFA7EAABE0C02AB3E1F85ABBE3108AC3E448BACBE560EAD3E6891ADBE7B14AE3E8D97AEBEA01AAF3EB29DAFBEC520B03ED7A3B0BEE926B13EFCA9B1BE0E2DB23E21B0B2BE3333B33E46B6B3BE5839B43E6ABCB4BE7D3FB53E8FC2B5BEA245B63EB4C8B6BEC74BB73ED9CEB7BEEC51B83EFED4B8BE1058B93E23DBB9BE355EBA3E48E1BABE5A64BB3E6DE7BBBE7F6ABC3E91EDBCBEA470BD3EB6F3BDBEC976BE3EDBF9BEBEEE7CBF3E0000C0BE1283C03E2506C1BE3789C13E4A0CC2BE5C8FC23E6F12C3BE8195C33E9318C4BEA69BC43EB81EC5BECBA1C53EDD24C6BEF0A7C63E022BC7BE14AEC73E2731C8BE39B4C83E4C37C9BE5EBAC93E713DCABE83C0CA3E9643CBBEA8C6CB3EBA49CCBECDCCCC3EDF4FCDBEF2D2CD3E0456CEBE17D9CE3E295CCFBE3BDFCF3E4E62D0BE60E5D03E7368D1BE85EBD13E986ED2BEAAF1D23EBC74D3BECFF7D33EE17AD4BEF4FDD43E0681D5BE1904D63E2B87D6BE3D0AD73E508DD7BE6210D83E7593D8BE8716D93E9A99D9BEAC1CDA3EBE9FDABED122DB3EE3A5DBBEF628DC3E08ACDCBE1B2FDD3E2DB2DDBE3F35DE3E52B8DEBE643BDF3E77BEDFBE8941E03E9CC4E0BEAE47E13EC1CAE1BED34DE23EE5D0E2BEF853E33E0AD7E3BE1D5AE43E2FDDE4BE4260E53E54E3E5BE6666E63E79E9E6BE8B6CE73E9EEFE7BEB072E83EC3F5E8BED578E93EE7FBE9BEFA7EEA3E0C02EBBE1F85EB3E3108ECBE448BEC3E560EEDBE6891ED3E7B14EEBE8D97EE3EA01AEFBEB29DEF3EC520F0BED7A3F03EE926F1BEFCA9F13E0E2DF2BE21B0F23E3333F3BE46B6F33E5839F4BE6ABCF43E7D3FF5BE8FC2F53EA245F6BEB4C8F63EC74BF7BED9CEF73EEC51F8BEFED4F83E1058F9BE23DBF93E355EFABE48E1FA3E5A64FBBE6DE7FB3E7F6AFCBE91EDFC3EA470FDBEB6F3FD3EC976FEBEDBF9FE3EEE7CFFBE0000003F894100BF1283003F9CC400BF2506013FAE4701BF3789013FC1CA01BF4A0C023FD34D02BF5C8F023FE5D002BF6F12033FF85303BF8195033F0AD703BF9318043F1D5A04BFA69B043F2FDD04BFB81E053F426005BFCBA1053F54E305BFDD24063F666606BFF0A7063F79E906BF022B073F8B6C07BF14AE073F9EEF07BF2731083FB07208BF39B4083FC3F508BF4C37093FD57809BF5EBA093FE7FB09BF713D0A3FFA7E0ABF83C00A3F0C020BBF96430B3F1F850BBFA8C60B3F31080CBFBA490C3F448B0CBFCDCC0C3F560E0DBFDF4F0D3F68910DBFF2D20D3F7B140EBF04560E3F8D970EBF17D90E3FA01A0FBF295C0F3FB29D0FBF3BDF0F3FC52010BF4E62103FD7A310BF60E5103FE92611BF7368113FFCA911BF85EB113F0E2D12BF986E123F21B012BFAAF1123F333313BFBC74133F46B613BFCFF7133F583914BFE17A143F6ABC14BFF4FD143F7D3F15BF0681153F8FC215BF1904163FA24516BF2B87163FB4C816BF3D0A173FC74B17BF508D173FD9CE17BF6210183FEC5118BF7593183FFED418BF8716193F105819BF9A99193F"
    }
  }
#-}
